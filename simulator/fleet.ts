import type { DropletRecord } from './model';
import type { DropletSeed, ResolvedOptions } from './options';
import { createRandom, pick, type Random } from './random';
import {
  defaultVpcUuid,
  GENERATED_SIZE_SLUGS,
  IMAGES,
  REGIONS_BY_SLUG,
  REGIONS,
  SIZES_BY_SLUG,
} from './reference-data';
import { SimulatorUsageError } from './simulator-error';

/** The first droplet id; real ones are of this order, and tests can tell them from action ids. */
export const FIRST_DROPLET_ID = 400_000_001;

const ROLES = ['web', 'api', 'worker', 'db', 'cache', 'queue', 'batch', 'edge'];

function generated(index: number, random: Random, createdAt: number): DropletRecord {
  const size = SIZES_BY_SLUG.get(pick(random, GENERATED_SIZE_SLUGS))!;
  const image = pick(random, IMAGES);
  const usedShare = 0.2 + random() * 0.4;
  const regionSlug = pick(random, REGIONS).slug;
  return {
    id: FIRST_DROPLET_ID + index,
    name: `${pick(random, ROLES)}-${String(index + 1).padStart(4, '0')}`,
    status: 'active',
    locked: false,
    sizeSlug: size.slug,
    memory: size.memory,
    vcpus: size.vcpus,
    disk: size.disk,
    usedDiskGb: Math.max(1, Math.round(size.disk * usedShare * 100) / 100),
    snapshotMinutesPerGb: 1 + random() * 2,
    regionSlug,
    imageSlug: image.slug,
    imageId: image.id,
    tags: [],
    ipv6: false,
    monitoring: false,
    vpcUuid: defaultVpcUuid(regionSlug),
    backups: false,
    backupPolicy: null,
    backupIds: [],
    nextBackupAt: null,
    snapshotIds: [],
    volumeIds: [],
    kernelId: null,
    index,
    // Created over the last year, so that created_at differs per droplet but stays reproducible.
    createdAt: createdAt - Math.floor(random() * 365) * 86_400_000,
  };
}

/** Builds a droplet from a test's description, filling the rest as a generated droplet would. */
export function dropletFromSeed(
  seed: DropletSeed,
  index: number,
  id: number,
  random: Random,
  createdAt: number,
): DropletRecord {
  const base = generated(index, random, createdAt);
  const sizeSlug = seed.sizeSlug ?? 's-1vcpu-1gb';
  const size = SIZES_BY_SLUG.get(sizeSlug);
  if (!size) {
    throw new SimulatorUsageError(
      `seedDroplets[].sizeSlug: expected one of ${[...SIZES_BY_SLUG.keys()].join(', ')}, got: '${sizeSlug}'`,
    );
  }
  const region = seed.region ?? 'nyc3';
  if (!REGIONS_BY_SLUG.has(region)) {
    throw new SimulatorUsageError(
      `seedDroplets[].region: expected one of ${[...REGIONS_BY_SLUG.keys()].join(', ')}, got: '${region}'`,
    );
  }
  const disk = seed.disk ?? size.disk;
  return {
    ...base,
    id,
    name: seed.name ?? base.name,
    status: seed.status ?? 'active',
    sizeSlug: size.slug,
    memory: size.memory,
    vcpus: size.vcpus,
    disk,
    usedDiskGb: seed.usedDiskGb ?? Math.max(1, Math.round(disk * 0.4)),
    regionSlug: region,
    tags: [...(seed.tags ?? [])],
    ipv6: seed.ipv6 ?? false,
    monitoring: seed.monitoring ?? false,
    vpcUuid: seed.vpcUuid ?? defaultVpcUuid(region),
    backups: seed.backups ?? false,
    backupPolicy: seed.backups ? { plan: 'daily', hour: 0 } : null,
    // The simulator core adds the seeded backup, so that it is a listed image with an id of its own.
    backupIds: [],
  };
}

/**
 * The account's droplets: `options.droplets` generated ones with tags laid out on consecutive
 * droplets (each tag starting where the previous ended), then the seeded ones.
 */
export function buildFleet(options: ResolvedOptions, createdAt: number): DropletRecord[] {
  const random = createRandom(options.seed);
  const fleet: DropletRecord[] = [];
  for (let index = 0; index < options.droplets; index += 1) {
    fleet.push(generated(index, random, createdAt));
  }
  let start = 0;
  for (const [tag, tagged] of options.tags) {
    for (let offset = 0; offset < tagged; offset += 1) {
      fleet[(start + offset) % fleet.length]!.tags.push(tag);
    }
    start = fleet.length === 0 ? 0 : (start + tagged) % fleet.length;
  }
  const taken = new Set(fleet.map((droplet) => droplet.id));
  let nextId = FIRST_DROPLET_ID + options.droplets;
  options.seedDroplets.forEach((seed, offset) => {
    const index = options.droplets + offset;
    let id = seed.id;
    if (id === undefined) {
      while (taken.has(nextId)) nextId += 1;
      id = nextId;
    } else if (taken.has(id) || !Number.isInteger(id) || id <= 0) {
      throw new SimulatorUsageError(
        `seedDroplets[${offset}].id: expected a free positive integer, got: ${id}`,
      );
    }
    taken.add(id);
    fleet.push(dropletFromSeed(seed, index, id, random, createdAt));
  });
  return fleet;
}
