import type { BackupPolicy } from '../../lambdas/core/actions/backup-policy';
import { unprocessable } from '../http/api-error';
import type { DropletRecord, SnapshotRecord, SourceImage } from '../model';
import { createRandom } from '../random';
import { defaultVpcUuid, IMAGES_BY_ID, IMAGES_BY_SLUG, REGIONS_BY_SLUG } from '../reference-data';
import type { SimulatorStore } from '../store';

/** A `POST /v2/droplets` body that passed the body rules. */
export interface CreateRequest {
  readonly name: string;
  readonly region?: string;
  readonly size: string;
  readonly image: number | string;
  readonly tags?: readonly string[] | null;
  readonly vpc_uuid?: string;
  readonly ipv6?: boolean;
  readonly monitoring?: boolean;
  readonly backups?: boolean;
  readonly backup_policy?: BackupPolicy;
  readonly volumes?: readonly string[];
}

/** What a new droplet is made from: its disk needs and, for a private image, the image itself. */
interface ImageChoice {
  readonly id: number;
  readonly slug: string | null;
  readonly minDiskSize: number;
  readonly sizeGigabytes: number;
  readonly source?: SourceImage;
}

function privateImage(image: SnapshotRecord, type: 'snapshot' | 'backup'): ImageChoice {
  return {
    id: image.id,
    slug: null,
    minDiskSize: image.minDiskSize,
    sizeGigabytes: image.sizeGigabytes,
    source: {
      id: image.id,
      name: image.name,
      type,
      regions: [image.regionSlug],
      createdAt: image.createdAt,
      minDiskSize: image.minDiskSize,
      sizeGigabytes: image.sizeGigabytes,
    },
  };
}

function chooseImage(store: SimulatorStore, image: number | string, region: string): ImageChoice {
  if (typeof image === 'string') {
    const found = IMAGES_BY_SLUG.get(image);
    if (!found) throw unprocessable(`image: expected a public image slug or an image id, got: '${image}'`);
    return {
      id: found.id,
      slug: found.slug,
      minDiskSize: found.minDiskSize,
      sizeGigabytes: found.sizeGigabytes,
    };
  }
  const publicImage = IMAGES_BY_ID.get(image);
  if (publicImage) {
    return {
      id: publicImage.id,
      slug: publicImage.slug,
      minDiskSize: publicImage.minDiskSize,
      sizeGigabytes: publicImage.sizeGigabytes,
    };
  }
  const snapshot = store.snapshots.get(image);
  const backup = store.backups.get(image);
  const found = snapshot ? privateImage(snapshot, 'snapshot') : backup && privateImage(backup, 'backup');
  if (!found) throw unprocessable(`image: expected an image id of this account, got: ${image}`);
  if (!found.source!.regions.includes(region)) {
    throw unprocessable(
      `image: ${image} is not available in ${region} (it is in ${found.source!.regions.join(', ')})`,
    );
  }
  return found;
}

/**
 * The droplet `POST /v2/droplets` asks for, refused with a 422 naming the field when DigitalOcean
 * would refuse it: an unknown region or size, a size not offered there or too small for the
 * image, an image not in the region, a volume elsewhere or attached. Names need not be unique, as
 * on DigitalOcean. The droplet starts `new`; the caller adds it and starts its create action.
 */
export function newDroplet(
  store: SimulatorStore,
  request: CreateRequest,
  now: number,
  seed: number,
): DropletRecord {
  const region = request.region ?? 'nyc3';
  if (!REGIONS_BY_SLUG.has(region)) {
    throw unprocessable(
      `region: expected one of ${[...REGIONS_BY_SLUG.keys()].join(', ')}, got: '${region}'`,
    );
  }
  const size = store.sizes.get(request.size);
  if (!size)
    throw unprocessable(
      `size: expected one of ${[...store.sizes.keys()].join(', ')}, got: '${request.size}'`,
    );
  if (!size.available || !size.regions.includes(region)) {
    throw unprocessable(`size: '${request.size}' is not available in ${region}`);
  }
  const image = chooseImage(store, request.image, region);
  if (image.minDiskSize > size.disk) {
    throw unprocessable(
      `size: '${size.slug}' has a ${size.disk} GB disk, smaller than the image's minimum of ${image.minDiskSize} GB`,
    );
  }
  for (const volumeId of request.volumes ?? []) {
    const volume = store.volumes.get(volumeId);
    if (!volume || volume.regionSlug !== region || volume.dropletIds.length > 0 || volume.locked) {
      throw unprocessable(`volumes: expected ids of free volumes in ${region}, got: '${volumeId}'`);
    }
  }
  const index = store.ids.dropletIndex;
  const random = createRandom(seed + index);
  return {
    id: store.ids.droplet,
    name: request.name,
    status: 'new',
    locked: false,
    sizeSlug: size.slug,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    usedDiskGb: Math.max(1, image.sizeGigabytes),
    snapshotMinutesPerGb: 1 + random() * 2,
    regionSlug: region,
    imageSlug: image.slug,
    imageId: image.id,
    ...(image.source ? { sourceImage: image.source } : {}),
    tags: [...new Set(request.tags ?? [])],
    ipv6: request.ipv6 ?? false,
    monitoring: request.monitoring ?? false,
    vpcUuid: request.vpc_uuid ?? defaultVpcUuid(region),
    backups: request.backups ?? false,
    backupPolicy: request.backups ? (request.backup_policy ?? { plan: 'daily', hour: 0 }) : null,
    backupIds: [],
    nextBackupAt: null,
    snapshotIds: [],
    volumeIds: [],
    kernelId: null,
    index,
    createdAt: now,
  };
}
