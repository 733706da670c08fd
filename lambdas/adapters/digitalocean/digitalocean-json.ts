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

export const wireDroplet = z.object({
  id: z.number().int(),
  name: z.string(),
  status: z.enum(['new', 'active', 'off', 'archive']),
  locked: z.boolean(),
  tags: z.array(z.string()),
  size_slug: z.string(),
  disk: z.number(),
  region: z.object({ slug: z.string() }),
});

export const wireSnapshot = z.object({
  id: z.union([z.number().int(), z.string()]),
  name: z.string(),
  created_at: z.string(),
  size_gigabytes: z.number(),
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

export function toDroplet(droplet: z.infer<typeof wireDroplet>): Droplet {
  return {
    id: droplet.id,
    name: droplet.name,
    status: droplet.status,
    locked: droplet.locked,
    tags: droplet.tags,
    sizeSlug: droplet.size_slug,
    diskGb: droplet.disk,
    regionSlug: droplet.region.slug,
  };
}

export function toSnapshot(snapshot: z.infer<typeof wireSnapshot>): Snapshot {
  return {
    id: snapshot.id,
    name: snapshot.name,
    createdAt: snapshot.created_at,
    sizeGigabytes: snapshot.size_gigabytes,
  };
}
