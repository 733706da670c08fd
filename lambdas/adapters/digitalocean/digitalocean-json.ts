import * as z from 'zod';
import type { Action, Droplet, Snapshot } from '../../core/ports/droplet-api';

// DigitalOcean's snake_case JSON, reduced to the fields the port exposes. Unknown fields pass
// through untouched so that additions on DigitalOcean's side never break the client.

const wireRegion = z.object({ slug: z.string() }).nullish();

export const wireAction = z.object({
  id: z.number().int(),
  status: z.enum(['in-progress', 'completed', 'errored']),
  type: z.string(),
  started_at: z.string(),
  completed_at: z.string().nullish(),
  resource_id: z.number().int().nullish(),
  resource_type: z.string(),
  region: wireRegion,
  region_slug: z.string().nullish(),
});

const wireNetworkV4 = z.object({ ip_address: z.string(), type: z.string() });

export const wireDroplet = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(['new', 'active', 'off', 'archive']),
  locked: z.boolean(),
  tags: z.array(z.string()),
  size_slug: z.string(),
  disk: z.number(),
  region: z.object({ slug: z.string() }),
  // DigitalOcean always sends these; they are optional here so that a trimmed body still reads.
  memory: z.number().nullish(),
  vcpus: z.number().nullish(),
  vpc_uuid: z.string().nullish(),
  features: z.array(z.string()).nullish(),
  backup_ids: z.array(z.number().int()).nullish(),
  snapshot_ids: z.array(z.number().int()).nullish(),
  volume_ids: z.array(z.string()).nullish(),
  image: z.object({ id: z.number().int().nullish() }).nullish(),
  size: z.object({ price_hourly: z.number().nullish(), price_monthly: z.number().nullish() }).nullish(),
  networks: z.object({ v4: z.array(wireNetworkV4).nullish() }).nullish(),
});

export const wireSnapshot = z.object({
  id: z.union([z.number().int(), z.string()]),
  name: z.string(),
  created_at: z.string(),
  size_gigabytes: z.number(),
  min_disk_size: z.number().nullish(),
  regions: z.array(z.string()).nullish(),
  resource_id: z.union([z.number().int(), z.string()]).nullish(),
});

const wireLinks = z.object({ pages: z.object({ next: z.string().nullish() }).nullish() }).nullish();

/** A page of a list endpoint: the items under `key`, and `links.pages.next` when there is more. */
export function wirePage<Item extends z.ZodType>(
  key: string,
  item: Item,
): z.ZodType<{ items: z.output<Item>[]; next: string | undefined }> {
  return z.object({ links: wireLinks, [key]: z.array(item) }).transform((page) => ({
    items: page[key] as z.output<Item>[],
    next: (page.links as z.output<typeof wireLinks>)?.pages?.next ?? undefined,
  }));
}

export function toAction(action: z.infer<typeof wireAction>): Action {
  return {
    id: action.id,
    type: action.type,
    status: action.status,
    startedAt: action.started_at,
    completedAt: action.completed_at ?? null,
    resourceId: action.resource_id ?? null,
    resourceType: action.resource_type,
    regionSlug: action.region_slug ?? action.region?.slug ?? null,
  };
}

/** Leaves out the keys whose value is undefined, so that an optional field is absent, not undefined. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export function toDroplet(droplet: z.infer<typeof wireDroplet>): Droplet {
  return defined({
    id: droplet.id,
    name: droplet.name,
    status: droplet.status,
    locked: droplet.locked,
    tags: droplet.tags,
    sizeSlug: droplet.size_slug,
    diskGb: droplet.disk,
    regionSlug: droplet.region.slug,
    vpcUuid: droplet.vpc_uuid ?? undefined,
    features: droplet.features ?? [],
    backupIds: droplet.backup_ids ?? [],
    snapshotIds: droplet.snapshot_ids ?? [],
    volumeIds: droplet.volume_ids ?? [],
    publicIpv4: droplet.networks?.v4?.find((network) => network.type === 'public')?.ip_address,
    imageId: droplet.image?.id ?? undefined,
    priceHourly: droplet.size?.price_hourly ?? undefined,
    priceMonthly: droplet.size?.price_monthly ?? undefined,
    memoryMb: droplet.memory ?? undefined,
    vcpus: droplet.vcpus ?? undefined,
  });
}

/**
 * Droplet snapshot ids are integers, which the account's snapshot list sends as strings: they are
 * read back as numbers so that they compare equal wherever they come from. Volume snapshot ids
 * (UUIDs) stay strings.
 */
function imageId(id: number | string): number | string {
  return typeof id === 'string' && /^\d{1,15}$/.test(id) ? Number(id) : id;
}

export function toSnapshot(snapshot: z.infer<typeof wireSnapshot>): Snapshot {
  const resourceId = snapshot.resource_id == null ? undefined : imageId(snapshot.resource_id);
  return defined({
    id: imageId(snapshot.id),
    name: snapshot.name,
    createdAt: snapshot.created_at,
    sizeGigabytes: snapshot.size_gigabytes,
    minDiskSize: snapshot.min_disk_size ?? 0,
    regions: snapshot.regions ?? [],
    resourceId: typeof resourceId === 'number' ? resourceId : undefined,
  });
}
