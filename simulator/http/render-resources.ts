import type {
  FirewallRecord,
  ProjectRecord,
  ProjectResourceRecord,
  ReservedIpRecord,
  VolumeRecord,
} from '../model';
import { isoTime } from './iso-time';
import { renderRegion } from './render';

/** A reserved IP; `droplet` is the whole droplet when assigned (rendered by the caller), else null. */
export function renderReservedIp(ip: ReservedIpRecord, droplet: unknown) {
  return {
    ip: ip.ip,
    region: renderRegion(ip.regionSlug),
    droplet: droplet ?? null,
    locked: ip.locked,
    project_id: ip.projectId,
  };
}

/** An IPv4 address as the integer DigitalOcean gives as a reserved IP action's `resource_id`. */
export function ipv4AsInteger(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function renderVolume(volume: VolumeRecord) {
  return {
    id: volume.id,
    name: volume.name,
    droplet_ids: volume.dropletIds,
    size_gigabytes: volume.sizeGigabytes,
    description: '',
    created_at: isoTime(volume.createdAt),
    tags: volume.tags,
    region: renderRegion(volume.regionSlug),
    filesystem_type: 'ext4',
    filesystem_label: '',
  };
}

export function renderFirewall(firewall: FirewallRecord) {
  return {
    id: firewall.id,
    name: firewall.name,
    status: 'succeeded',
    created_at: isoTime(firewall.createdAt),
    pending_changes: [],
    droplet_ids: firewall.dropletIds,
    tags: firewall.tags,
    inbound_rules: [{ protocol: 'tcp', ports: '22', sources: { addresses: ['0.0.0.0/0', '::/0'] } }],
    outbound_rules: [{ protocol: 'tcp', ports: '0', destinations: { addresses: ['0.0.0.0/0', '::/0'] } }],
  };
}

/** The account's owner, the same for every project. */
const OWNER = { owner_uuid: '99525febec065ca37b2ffe4f852fd2b2581895e7', owner_id: 258992 };

export function renderProject(project: ProjectRecord) {
  return {
    id: project.id,
    ...OWNER,
    name: project.name,
    description: '',
    purpose: project.isDefault ? 'Other' : 'Service or API',
    environment: project.isDefault ? 'Development' : 'Production',
    created_at: isoTime(project.createdAt),
    updated_at: isoTime(project.createdAt),
    is_default: project.isDefault,
  };
}

export function renderProjectResource(resource: ProjectResourceRecord, baseUrl: string) {
  const [, kind, id] = resource.urn.split(':');
  return {
    urn: resource.urn,
    assigned_at: isoTime(resource.assignedAt),
    links: { self: `${baseUrl}/v2/${kind}s/${id}` },
    status: 'ok',
  };
}
