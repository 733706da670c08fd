import type { FirewallRecord, ProjectRecord, ReservedIpRecord, VolumeRecord } from './model';
import { REGIONS_BY_SLUG } from './reference-data';
import { SimulatorUsageError } from './simulator-error';
import { dropletUrn, type SimulatorStore } from './store';

/** A reserved IP in the account, optionally assigned to a droplet. */
export interface ReservedIpSeed {
  /** @default the next free address of 192.0.2.0/24, then 203.0.113.0/24 (documentation ranges) */
  readonly ip?: string;
  /** @default the droplet's region when assigned, else 'nyc3' */
  readonly region?: string;
  /** @default null (unassigned) */
  readonly dropletId?: number | null;
}

/** A block storage volume, optionally attached to a droplet of its region. */
export interface VolumeSeed {
  /** @default a generated UUID */
  readonly id?: string;
  readonly name: string;
  /** @default the droplet's region when attached, else 'nyc3' */
  readonly region?: string;
  /** @default 10 */
  readonly sizeGigabytes?: number;
  /** @default none (detached) */
  readonly dropletId?: number;
  /** @default [] */
  readonly tags?: readonly string[];
}

/** A cloud firewall naming droplets by id and by tag. */
export interface FirewallSeed {
  /** @default a generated UUID */
  readonly id?: string;
  readonly name: string;
  /** @default [] */
  readonly dropletIds?: readonly number[];
  /** @default [] */
  readonly tags?: readonly string[];
}

/** A project; the account always has exactly one default project. */
export interface ProjectSeed {
  /** @default a generated UUID */
  readonly id?: string;
  readonly name: string;
  /** Makes this the default project, where new droplets land. @default false */
  readonly isDefault?: boolean;
  /** URNs such as `do:droplet:400000001`, moved here from whichever project held them. @default [] */
  readonly resources?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const URN = /^do:(dbaas|domain|droplet|floatingip|reservedip|loadbalancer|space|volume|kubernetes|vpc):\S+$/;

function region(field: string, slug: string): string {
  if (!REGIONS_BY_SLUG.has(slug)) {
    throw new SimulatorUsageError(
      `${field}: expected one of ${[...REGIONS_BY_SLUG.keys()].join(', ')}, got: '${slug}'`,
    );
  }
  return slug;
}

function freeUuid(
  store: SimulatorStore,
  field: string,
  id: string | undefined,
  taken: ReadonlyMap<string, unknown>,
) {
  if (id === undefined) return store.newUuid();
  if (!UUID.test(id) || taken.has(id)) {
    throw new SimulatorUsageError(`${field}: expected a free UUID, got: '${id}'`);
  }
  return id;
}

function existingDroplet(store: SimulatorStore, field: string, id: number) {
  const droplet = store.droplets.get(id);
  if (!droplet)
    throw new SimulatorUsageError(`${field}: expected the id of a droplet in the account, got: ${id}`);
  return droplet;
}

function nextFreeIp(store: SimulatorStore): string {
  for (let n = 0; n < 508; n += 1) {
    const ip = n < 254 ? `192.0.2.${n + 1}` : `203.0.113.${n - 253}`;
    if (!store.reservedIps.has(ip)) return ip;
  }
  throw new SimulatorUsageError('reservedIps: the simulator has no free address left (508 at most)');
}

export function addReservedIp(store: SimulatorStore, seed: ReservedIpSeed): ReservedIpRecord {
  const ip = seed.ip ?? nextFreeIp(store);
  if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((octet) => Number(octet) > 255)) {
    throw new SimulatorUsageError(`reservedIps[].ip: expected an IPv4 address, got: '${ip}'`);
  }
  if (store.reservedIps.has(ip))
    throw new SimulatorUsageError(`reservedIps[].ip: expected a free address, got: '${ip}'`);
  const droplet =
    seed.dropletId === undefined || seed.dropletId === null
      ? undefined
      : existingDroplet(store, 'reservedIps[].dropletId', seed.dropletId);
  const regionSlug = region('reservedIps[].region', seed.region ?? droplet?.regionSlug ?? 'nyc3');
  if (droplet && droplet.regionSlug !== regionSlug) {
    throw new SimulatorUsageError(
      `reservedIps[].dropletId: expected a droplet in ${regionSlug}, got one in ${droplet.regionSlug}`,
    );
  }
  const record: ReservedIpRecord = {
    ip,
    regionSlug,
    dropletId: droplet?.id ?? null,
    locked: false,
    projectId: store.defaultProject()?.id ?? '',
  };
  store.reservedIps.set(ip, record);
  return record;
}

export function addVolume(store: SimulatorStore, seed: VolumeSeed, now: number): VolumeRecord {
  const id = freeUuid(store, 'volumes[].id', seed.id, store.volumes);
  if (typeof seed.name !== 'string' || !/^[a-z0-9-]{1,64}$/.test(seed.name)) {
    throw new SimulatorUsageError(
      `volumes[].name: expected lowercase letters, digits and '-', got: ${JSON.stringify(seed.name)}`,
    );
  }
  const droplet =
    seed.dropletId === undefined ? undefined : existingDroplet(store, 'volumes[].dropletId', seed.dropletId);
  const regionSlug = region('volumes[].region', seed.region ?? droplet?.regionSlug ?? 'nyc3');
  if (droplet && droplet.regionSlug !== regionSlug) {
    throw new SimulatorUsageError(
      `volumes[].dropletId: expected a droplet in ${regionSlug}, got one in ${droplet.regionSlug}`,
    );
  }
  const size = seed.sizeGigabytes ?? 10;
  if (!Number.isInteger(size) || size < 1 || size > 16_384) {
    throw new SimulatorUsageError(
      `volumes[].sizeGigabytes: expected an integer from 1 to 16384, got: ${size}`,
    );
  }
  const record: VolumeRecord = {
    id,
    name: seed.name,
    regionSlug,
    sizeGigabytes: size,
    dropletIds: droplet ? [droplet.id] : [],
    createdAt: now,
    tags: [...(seed.tags ?? [])],
    locked: false,
  };
  store.volumes.set(id, record);
  droplet?.volumeIds.push(id);
  return record;
}

export function addFirewall(store: SimulatorStore, seed: FirewallSeed, now: number): FirewallRecord {
  const id = freeUuid(store, 'firewalls[].id', seed.id, store.firewalls);
  if (typeof seed.name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9.-]+$/.test(seed.name)) {
    throw new SimulatorUsageError(
      `firewalls[].name: expected letters, digits, '.' and '-', got: ${JSON.stringify(seed.name)}`,
    );
  }
  const dropletIds = [...new Set(seed.dropletIds ?? [])];
  for (const dropletId of dropletIds) existingDroplet(store, 'firewalls[].dropletIds', dropletId);
  const record: FirewallRecord = {
    id,
    name: seed.name,
    dropletIds,
    tags: [...(seed.tags ?? [])],
    createdAt: now,
  };
  store.firewalls.set(id, record);
  return record;
}

export function addProject(store: SimulatorStore, seed: ProjectSeed, now: number): ProjectRecord {
  const id = freeUuid(store, 'projects[].id', seed.id, store.projects);
  if (typeof seed.name !== 'string' || seed.name.length < 1 || seed.name.length > 175) {
    throw new SimulatorUsageError(
      `projects[].name: expected 1 to 175 characters, got: ${JSON.stringify(seed.name)}`,
    );
  }
  for (const urn of seed.resources ?? []) {
    if (!URN.test(urn))
      throw new SimulatorUsageError(
        `projects[].resources: expected a URN such as do:droplet:1, got: '${urn}'`,
      );
  }
  const record: ProjectRecord = { id, name: seed.name, isDefault: false, createdAt: now, resources: [] };
  store.projects.set(id, record);
  if (seed.isDefault) {
    for (const project of store.projects.values()) project.isDefault = project === record;
  }
  for (const urn of seed.resources ?? []) store.assignResource(id, urn, now);
  return record;
}

/** The account's default project, holding every droplet of the start fleet. */
export function addDefaultProject(store: SimulatorStore, now: number): ProjectRecord {
  const project = addProject(store, { name: 'first-project', isDefault: true }, now);
  for (const droplet of store.dropletList) store.assignResource(project.id, dropletUrn(droplet.id), now);
  return project;
}
