import type { ActionRecord, BackupRecord, DropletRecord, SnapshotRecord } from '../model';
import {
  IMAGES_BY_ID,
  IMAGES,
  REGION_FEATURES,
  REGIONS_BY_SLUG,
  SIZES_BY_SLUG,
  SIZES,
  type ImageData,
  type SizeData,
} from '../reference-data';

import { isoTime } from './iso-time';

export { isoTime };

const REGION_SLUGS = [...REGIONS_BY_SLUG.keys()];

export function renderRegion(slug: string) {
  return {
    name: REGIONS_BY_SLUG.get(slug)?.name ?? slug,
    slug,
    features: REGION_FEATURES,
    available: true,
    sizes: SIZES.map((size) => size.slug),
  };
}

/** A size as `GET /v2/sizes` and `droplet.size` show it; hourly is monthly over 672 hours, as DigitalOcean bills. */
export function renderSize(size: SizeData & { regions?: readonly string[]; available?: boolean }) {
  return {
    slug: size.slug,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    transfer: size.transfer,
    price_monthly: size.priceMonthly,
    price_hourly: Math.round((size.priceMonthly / 672) * 100000) / 100000,
    regions: size.regions ?? REGION_SLUGS,
    available: size.available ?? true,
    description: 'Basic',
  };
}

function renderImage(droplet: DropletRecord) {
  const source = droplet.sourceImage;
  if (source) {
    return {
      id: source.id,
      name: source.name,
      distribution: 'Unknown',
      slug: null,
      public: false,
      regions: source.regions,
      created_at: isoTime(source.createdAt),
      type: source.type,
      min_disk_size: source.minDiskSize,
      size_gigabytes: source.sizeGigabytes,
      description: '',
      tags: [],
      status: 'available',
      error_message: '',
    };
  }
  return renderPublicImage(IMAGES_BY_ID.get(droplet.imageId) ?? IMAGES[0]!);
}

export function renderPublicImage(image: ImageData) {
  return {
    id: image.id,
    name: image.name,
    distribution: image.distribution,
    slug: image.slug,
    public: true,
    regions: REGION_SLUGS,
    created_at: image.createdAt,
    type: 'base',
    min_disk_size: image.minDiskSize,
    size_gigabytes: image.sizeGigabytes,
    description: `${image.distribution} ${image.name}`,
    tags: [],
    status: 'available',
    error_message: '',
  };
}

function ipv4(droplet: DropletRecord): string {
  // 198.18.0.0/15 is reserved for benchmarks, so these addresses never point at a real host.
  const index = droplet.index;
  return `198.${18 + ((index >> 16) & 1)}.${(index >> 8) & 255}.${index & 255}`;
}

function nextBackupWindow(droplet: DropletRecord, now: number) {
  if (!droplet.backups || !droplet.backupPolicy) return null;
  const start = new Date(now);
  start.setUTCDate(start.getUTCDate() + 1);
  start.setUTCHours(droplet.backupPolicy.hour ?? 0, 0, 0, 0);
  return { start: isoTime(start.getTime()), end: isoTime(start.getTime() + 4 * 3_600_000) };
}

/** A droplet in DigitalOcean's shape, with every field the spec's droplet schema requires. */
export function renderDroplet(
  droplet: DropletRecord,
  now: number,
  size: SizeData & { regions?: readonly string[]; available?: boolean } = SIZES_BY_SLUG.get(
    droplet.sizeSlug,
  )!,
) {
  const features = ['private_networking'];
  if (droplet.monitoring) features.unshift('monitoring');
  if (droplet.backups) features.unshift('backups');
  if (droplet.ipv6) features.push('ipv6');
  return {
    id: droplet.id,
    name: droplet.name,
    memory: droplet.memory,
    vcpus: droplet.vcpus,
    disk: droplet.disk,
    disk_info: [{ type: 'local', size: { amount: droplet.disk, unit: 'gib' } }],
    locked: droplet.locked,
    status: droplet.status,
    kernel:
      droplet.kernelId === null
        ? null
        : {
            id: droplet.kernelId,
            name: `Kernel ${droplet.kernelId}`,
            version: `${droplet.kernelId}-generic`,
          },
    created_at: isoTime(droplet.createdAt),
    features,
    backup_ids: droplet.backupIds,
    next_backup_window: nextBackupWindow(droplet, now),
    snapshot_ids: droplet.snapshotIds,
    image: renderImage(droplet),
    volume_ids: droplet.volumeIds,
    size: renderSize(size),
    size_slug: droplet.sizeSlug,
    networks: {
      v4: [
        {
          ip_address: `10.${100 + (droplet.index >> 16)}.${(droplet.index >> 8) & 255}.${droplet.index & 255}`,
          netmask: '255.255.0.0',
          gateway: '10.100.0.1',
          type: 'private',
        },
        { ip_address: ipv4(droplet), netmask: '255.254.0.0', gateway: '198.18.0.1', type: 'public' },
      ],
      v6: droplet.ipv6
        ? [
            {
              ip_address: `2001:db8::${droplet.index.toString(16)}`,
              netmask: 64,
              gateway: '2001:db8::1',
              type: 'public',
            },
          ]
        : [],
    },
    region: renderRegion(droplet.regionSlug),
    tags: droplet.tags,
    vpc_uuid: droplet.vpcUuid,
  };
}

export function renderAction(action: ActionRecord) {
  return {
    id: action.id,
    status: action.status,
    type: action.type,
    started_at: isoTime(action.startedAt),
    completed_at: action.completedAt === null ? null : isoTime(action.completedAt),
    resource_id: action.resourceId,
    resource_type: action.resourceType,
    region: renderRegion(action.regionSlug),
    region_slug: action.regionSlug,
  };
}

/** A droplet snapshot as `GET /v2/droplets/{id}/snapshots` shows it: integer id. */
export function renderSnapshot(snapshot: SnapshotRecord) {
  return {
    id: snapshot.id,
    name: snapshot.name,
    created_at: isoTime(snapshot.createdAt),
    regions: [snapshot.regionSlug],
    min_disk_size: snapshot.minDiskSize,
    size_gigabytes: snapshot.sizeGigabytes,
    type: 'snapshot',
  };
}

/** A backup as `GET /v2/droplets/{id}/backups` shows it. */
export function renderBackup(backup: BackupRecord) {
  return { ...renderSnapshot(backup), type: 'backup' };
}

/**
 * A droplet snapshot as `GET /v2/snapshots[/{id}]` shows it: there the spec and the real API give
 * the id and `resource_id` as strings.
 */
export function renderAccountSnapshot(snapshot: SnapshotRecord) {
  return {
    id: String(snapshot.id),
    name: snapshot.name,
    created_at: isoTime(snapshot.createdAt),
    regions: [snapshot.regionSlug],
    min_disk_size: snapshot.minDiskSize,
    size_gigabytes: snapshot.sizeGigabytes,
    resource_id: String(snapshot.dropletId),
    resource_type: 'droplet',
    tags: [],
  };
}

/** A snapshot or backup as `GET /v2/images/{id}` shows it. */
export function renderPrivateImage(image: SnapshotRecord, type: 'snapshot' | 'backup') {
  return {
    id: image.id,
    name: image.name,
    distribution: 'Unknown',
    slug: null,
    public: false,
    regions: [image.regionSlug],
    created_at: isoTime(image.createdAt),
    type,
    min_disk_size: image.minDiskSize,
    size_gigabytes: image.sizeGigabytes,
    description: '',
    tags: [],
    status: 'available',
    error_message: '',
  };
}
