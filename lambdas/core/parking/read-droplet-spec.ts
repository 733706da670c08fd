import type { DropletSpec } from '../ledger/lineage-record';
import type { Droplet, DropletApi, RequestOptions, ReservedIp } from '../ports/droplet-api';

/** The URN DigitalOcean's projects name a droplet by. */
export function dropletUrn(dropletId: number): string {
  return `do:droplet:${dropletId}`;
}

/** The reserved IP assigned to a droplet, if one is. */
export async function reservedIpOf(
  api: DropletApi,
  dropletId: number,
  request: RequestOptions,
): Promise<ReservedIp | undefined> {
  for await (const page of api.listReservedIps({ ...request })) {
    const found = page.find((ip) => ip.dropletId === dropletId);
    if (found) return found;
  }
  return undefined;
}

export function hasBackups(droplet: Droplet): boolean {
  return droplet.features.includes('backups') || droplet.backupIds.length > 0;
}

/**
 * Everything an unpark needs to recreate `droplet` as it is: its own fields, the reserved IP
 * assigned to it, the firewalls that name it by id (those naming it by tag keep it anyway) and
 * the project it is in. Reads only: one list of reserved IPs, of firewalls and of projects, and
 * each project's resources until the droplet is found.
 */
export async function readDropletSpec(
  api: DropletApi,
  droplet: Droplet,
  request: RequestOptions,
): Promise<DropletSpec> {
  const reservedIp = await reservedIpOf(api, droplet.id, request);
  const firewallIds: string[] = [];
  for await (const page of api.listFirewalls({ ...request })) {
    for (const firewall of page) if (firewall.dropletIds.includes(droplet.id)) firewallIds.push(firewall.id);
  }
  return {
    name: droplet.name,
    region: droplet.regionSlug,
    size: droplet.sizeSlug,
    tags: [...droplet.tags],
    ...(droplet.vpcUuid ? { vpcUuid: droplet.vpcUuid } : {}),
    ipv6: droplet.features.includes('ipv6'),
    monitoring: droplet.features.includes('monitoring'),
    backups: hasBackups(droplet),
    ...(reservedIp ? { reservedIp: reservedIp.ip } : {}),
    ...(droplet.publicIpv4 ? { publicIpv4: droplet.publicIpv4 } : {}),
    volumeIds: [...droplet.volumeIds],
    firewallIds,
    ...(await projectOf(api, droplet.id, request)),
    ...(droplet.priceHourly !== undefined ? { priceHourly: droplet.priceHourly } : {}),
    ...(droplet.priceMonthly !== undefined ? { priceMonthly: droplet.priceMonthly } : {}),
  };
}

async function projectOf(
  api: DropletApi,
  dropletId: number,
  request: RequestOptions,
): Promise<{ projectId?: string }> {
  const urn = dropletUrn(dropletId);
  for await (const projects of api.listProjects({ ...request })) {
    for (const project of projects) {
      for await (const resources of api.listProjectResources(project.id, { ...request })) {
        if (resources.includes(urn)) return { projectId: project.id };
      }
    }
  }
  return {};
}

/** The specification in a few words, for the step's result and the audit. */
export function describeSpec(spec: DropletSpec): string {
  const parts = [`${spec.name} (${spec.size} in ${spec.region})`];
  if (spec.reservedIp) parts.push(`reserved IP ${spec.reservedIp}`);
  if (spec.volumeIds.length > 0) parts.push(`${spec.volumeIds.length} volume(s)`);
  if (spec.firewallIds.length > 0) parts.push(`${spec.firewallIds.length} firewall(s) by id`);
  if (spec.projectId) parts.push(`project ${spec.projectId}`);
  if (spec.tags.length > 0) parts.push(`tags ${spec.tags.join(', ')}`);
  return parts.join(', ');
}
