import {
  addDefaultProject,
  addFirewall,
  addProject,
  addReservedIp,
  addVolume,
  type FirewallSeed,
  type ProjectSeed,
  type ReservedIpSeed,
  type VolumeSeed,
} from './account-seeds';
import { SimulatedClock } from './clock';
import { ActionEngine } from './engine/action-engine';
import { buildFleet, dropletFromSeed } from './fleet';
import type {
  ActionRecord,
  BackupRecord,
  DropletRecord,
  FirewallRecord,
  HistoryEvent,
  ProjectRecord,
  ReservedIpRecord,
  SnapshotRecord,
  VolumeRecord,
} from './model';
import {
  actionListOrder,
  resolveFaults,
  type ActionListOrder,
  type DropletSeed,
  type FaultOptions,
  type ResolvedFaults,
  type ResolvedOptions,
} from './options';
import { loadState, saveState } from './persistence/saved-state';
import { readStateFile, setAside, writeStateFile } from './persistence/state-file';
import { createRandom, type Random } from './random';
import { RateLimiter } from './rate-limiter';
import { SimulatorUsageError } from './simulator-error';
import { dropletUrn, SimulatorStore, type IdCounters, type SizeRecord } from './store';

/** The faults in force, with plain arrays so that they serialise to JSON. */
export interface FaultsView {
  readonly serverErrorRate: number;
  readonly latencyMs: number;
  readonly dropAfterProcessRate: number;
  readonly dropAnswerDropletIds: readonly number[];
  readonly stuckActionRate: number;
  readonly stuckDropletIds: readonly number[];
  readonly erroredDropletIds: readonly number[];
  readonly ineffectiveShutdownRate: number;
}

/** A copy of everything the simulator holds, settled to the simulator's clock. */
export interface SimulatorStateView {
  /** The simulator's clock, ISO 8601. */
  readonly now: string;
  readonly droplets: DropletRecord[];
  /** Oldest first. A stuck action has `dueAt: Infinity` (null in JSON). */
  readonly actions: ActionRecord[];
  readonly snapshots: SnapshotRecord[];
  readonly backups: BackupRecord[];
  readonly reservedIps: ReservedIpRecord[];
  readonly volumes: VolumeRecord[];
  readonly firewalls: FirewallRecord[];
  readonly projects: ProjectRecord[];
  /** Requests per `METHOD /v2/template` (the spec's path template), counted on arrival, 401s and 429s included. */
  readonly requestCounts: Record<string, number>;
  /** How many requests were answered 429. */
  readonly rateLimited: number;
  readonly faults: FaultsView;
  readonly actionListOrder: ActionListOrder;
}

/** Settings that can change at run time (`POST /_simulator/settings`). */
export interface SimulatorSettings {
  /** @default unchanged */
  readonly actionListOrder?: ActionListOrder;
}

/** A change to a size's offer, for tests of "this size is no longer offered here". */
export interface SizeChange {
  readonly slug: string;
  /** @default unchanged */
  readonly available?: boolean;
  /** @default unchanged */
  readonly regions?: readonly string[];
}

/** Ids start this far into the future when a state file was damaged: milliseconds since then. */
const ID_FLOOR_EPOCH = Date.UTC(2026, 0, 1);

/**
 * The simulated account and its machinery, independent of HTTP: store, clock, action engine,
 * rate limiter, faults and counters. `reset` rebuilds the account from the start options.
 */
export class SimulatorCore {
  readonly clock: SimulatedClock;
  readonly rateLimiter: RateLimiter | undefined;
  /** Decides injected HTTP faults; separate from the engine's stream so that one does not shift the other. */
  readonly faultRandom: Random;
  /** What happened to the state file at start, in one line; undefined without one. */
  readonly stateNote: string | undefined;
  private currentStore!: SimulatorStore;
  private currentEngine!: ActionEngine;
  private currentFaults!: ResolvedFaults;
  private order: ActionListOrder;
  private counts = new Map<string, number>();
  private rateLimitedCount = 0;

  constructor(readonly options: ResolvedOptions) {
    this.clock = new SimulatedClock(options.clock === 'manual', options.now);
    this.rateLimiter =
      options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit, options.now);
    this.faultRandom = createRandom(options.seed + 1);
    this.order = options.actionListOrder;
    if (options.stateFile === undefined) this.build(undefined);
    this.stateNote = options.stateFile === undefined ? undefined : this.open(options.stateFile);
  }

  get store(): SimulatorStore {
    return this.currentStore;
  }

  get engine(): ActionEngine {
    return this.currentEngine;
  }

  get faults(): ResolvedFaults {
    return this.currentFaults;
  }

  get actionListOrder(): ActionListOrder {
    return this.order;
  }

  /**
   * Back to the start: the same fleet, no actions or snapshots, zeroed counters, the start faults.
   * With a state file, ids go on from where they were, so that none repeats.
   */
  reset(): void {
    const carried = this.options.stateFile === undefined ? undefined : this.currentStore?.ids;
    this.build(carried);
    this.persist();
  }

  /** Changes some faults, keeping the others; takes effect on the next request. */
  setFaults(faults: FaultOptions): FaultsView {
    this.currentFaults = resolveFaults(faults, this.currentFaults);
    return this.faultsView();
  }

  setSettings(settings: SimulatorSettings): { actionListOrder: ActionListOrder } {
    if (settings.actionListOrder !== undefined) this.order = actionListOrder(settings.actionListOrder);
    this.persist();
    return { actionListOrder: this.order };
  }

  /** Adds a droplet described by a test, in the default project; returns a copy of it. */
  addDroplet(seed: DropletSeed): DropletRecord {
    const store = this.currentStore;
    const id = seed.id ?? store.ids.droplet;
    if (store.droplets.has(id)) {
      throw new SimulatorUsageError(`droplet id: expected a free id, got: ${id}`);
    }
    const index = store.ids.dropletIndex;
    const droplet = dropletFromSeed(
      seed,
      index,
      id,
      createRandom(this.options.seed + index),
      this.clock.now(),
    );
    store.addDroplet(droplet);
    const project = store.defaultProject();
    if (project) store.assignResource(project.id, dropletUrn(id), this.clock.now());
    if (droplet.backups) this.seedBackup(droplet);
    this.persist();
    return structuredClone(droplet);
  }

  addReservedIp(seed: ReservedIpSeed): ReservedIpRecord {
    return this.added(addReservedIp(this.currentStore, seed));
  }

  addVolume(seed: VolumeSeed): VolumeRecord {
    return this.added(addVolume(this.currentStore, seed, this.clock.now()));
  }

  addFirewall(seed: FirewallSeed): FirewallRecord {
    return this.added(addFirewall(this.currentStore, seed, this.clock.now()));
  }

  addProject(seed: ProjectSeed): ProjectRecord {
    return this.added(addProject(this.currentStore, seed, this.clock.now()));
  }

  /** Offers a size in other regions, or stops offering it. */
  changeSize(change: SizeChange): SizeRecord {
    const size = this.currentStore.sizes.get(change?.slug);
    if (!size) {
      throw new SimulatorUsageError(
        `slug: expected one of ${[...this.currentStore.sizes.keys()].join(', ')}, got: ${JSON.stringify(change?.slug)}`,
      );
    }
    if (change.available !== undefined) size.available = change.available === true;
    if (change.regions !== undefined) size.regions = [...change.regions];
    return this.added(size);
  }

  countRequest(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  countRateLimited(): void {
    this.rateLimitedCount += 1;
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** Writes the whole account, settled to now, to `file` (atomically), in the state file's format. */
  saveTo(file: string): void {
    this.currentEngine.settle();
    writeStateFile(file, `${JSON.stringify(saveState(this.currentStore, this.order, this.clock.now()))}\n`);
  }

  /**
   * Saves the account to the state file, if there is one. Called before answering any request
   * that may have changed it; cheap enough for a local fleet, and nothing is written without a
   * state file.
   */
  persist(): void {
    const file = this.options.stateFile;
    if (file === undefined) return;
    const state = saveState(this.currentStore, this.order, this.clock.now());
    writeStateFile(file, `${JSON.stringify(state)}\n`);
  }

  state(): SimulatorStateView {
    this.currentEngine.settle();
    const store = this.currentStore;
    return {
      now: new Date(this.clock.now()).toISOString(),
      droplets: structuredClone(store.dropletList),
      actions: structuredClone(store.actionList),
      snapshots: structuredClone([...store.snapshots.values()]),
      backups: structuredClone([...store.backups.values()]),
      reservedIps: structuredClone([...store.reservedIps.values()]),
      volumes: structuredClone([...store.volumes.values()]),
      firewalls: structuredClone([...store.firewalls.values()]),
      projects: structuredClone([...store.projects.values()]),
      requestCounts: this.requestCounts(),
      rateLimited: this.rateLimitedCount,
      faults: this.faultsView(),
      actionListOrder: this.order,
    };
  }

  /** The account's history (creates, destroys, snapshots taken and deleted), settled to now, oldest first. */
  history(): HistoryEvent[] {
    this.currentEngine.settle();
    return structuredClone(this.currentStore.history);
  }

  /** Reads the state file, or builds the account from the options; returns what happened. */
  private open(file: string): string {
    const found = readStateFile(file);
    if (found.kind === 'read') {
      try {
        const loaded = loadState(found.text);
        this.currentStore = loaded.store;
        this.order = loaded.actionListOrder;
        this.currentFaults = this.options.faults;
        this.currentEngine = this.newEngine();
        this.currentEngine.settle();
        const added = this.addUnseenSeeds();
        this.persist();
        const running = loaded.store.actionList.filter((action) => action.status === 'in-progress').length;
        return (
          `resumed the simulated account from ${file}: ${loaded.store.droplets.size} droplets` +
          `${added > 0 ? ` (${added} new for tags or ids not seen before)` : ''}, ` +
          `${loaded.store.actions.size} actions (${running} still running)`
        );
      } catch (error) {
        return this.startOver(file, error instanceof Error ? error.message : String(error));
      }
    }
    if (found.kind === 'unreadable') return this.startOver(file, found.reason);
    this.build(undefined);
    this.persist();
    return `saving the simulated account in ${file}`;
  }

  /**
   * Adds the start seeds for tags and droplet ids the account has never had (a policy added since
   * it was saved), and none for those it had: a droplet destroyed since stays destroyed.
   */
  private addUnseenSeeds(): number {
    const { seeded } = this.currentStore;
    let added = 0;
    for (const seed of this.options.seedDroplets) {
      const unseen =
        seed.id !== undefined
          ? !seeded.dropletIds.has(seed.id) && !this.currentStore.droplets.has(seed.id)
          : (seed.tags ?? []).length > 0 && (seed.tags ?? []).every((tag) => !seeded.tags.has(tag));
      if (!unseen) continue;
      this.addDroplet(seed);
      added += 1;
    }
    this.markSeeded();
    return added;
  }

  private markSeeded(): void {
    const { seeded } = this.currentStore;
    for (const seed of this.options.seedDroplets) {
      if (seed.id !== undefined) seeded.dropletIds.add(seed.id);
      for (const tag of seed.tags ?? []) seeded.tags.add(tag);
    }
  }

  /**
   * A damaged file: set it aside and start from the options. Ids start from the clock (one per
   * millisecond since 2026), beyond any the lost account can have handed out, so that none repeats.
   */
  private startOver(file: string, reason: string): string {
    const now = this.clock.now();
    const aside = setAside(file, now);
    const floor = Math.max(0, now - ID_FLOOR_EPOCH);
    this.build(undefined);
    const ids = this.currentStore.ids;
    const lifted: Partial<IdCounters> = {
      action: ids.action + floor,
      snapshot: ids.snapshot + floor,
      backup: ids.backup + floor,
      droplet: ids.droplet + floor,
    };
    Object.assign(ids, lifted);
    this.persist();
    return `${file} was damaged (${reason.split('\n')[0]}); ${aside ? `set aside as ${aside}, ` : ''}started over from the start fleet, with new ids`;
  }

  private build(carried: IdCounters | undefined): void {
    const now = this.clock.now();
    const store = new SimulatorStore(buildFleet(this.options, now));
    if (carried) {
      for (const key of Object.keys(carried) as Array<keyof IdCounters>) {
        store.ids[key] = Math.max(store.ids[key], carried[key]);
      }
    }
    this.currentStore = store;
    this.currentFaults = this.options.faults;
    this.currentEngine = this.newEngine();
    addDefaultProject(store, now);
    for (const seed of this.options.projects) addProject(store, seed, now);
    for (const seed of this.options.reservedIps) addReservedIp(store, seed);
    for (const seed of this.options.volumes) addVolume(store, seed, now);
    for (const seed of this.options.firewalls) addFirewall(store, seed, now);
    for (const droplet of store.dropletList) if (droplet.backups) this.seedBackup(droplet);
    this.markSeeded();
    this.counts = new Map();
    this.rateLimitedCount = 0;
    this.rateLimiter?.reset();
  }

  /** A droplet seeded with backups on has one backup, from a day ago, and takes more from now. */
  private seedBackup(droplet: DropletRecord): void {
    const now = this.clock.now();
    this.currentStore.addBackup({
      name: `${droplet.name} backup`,
      dropletId: droplet.id,
      createdAt: now - 86_400_000,
      regionSlug: droplet.regionSlug,
      sizeGigabytes: droplet.usedDiskGb,
      minDiskSize: droplet.disk,
    });
    this.currentEngine.backups.enable(droplet, now);
  }

  private newEngine(): ActionEngine {
    return new ActionEngine(this.currentStore, this.clock, createRandom(this.options.seed + 2), {
      actionErrorRate: this.options.actionErrorRate,
      timeScale: this.options.timeScale,
      faults: () => this.currentFaults,
    });
  }

  private added<T>(record: T): T {
    this.persist();
    return structuredClone(record);
  }

  private faultsView(): FaultsView {
    return {
      ...this.currentFaults,
      stuckDropletIds: [...this.currentFaults.stuckDropletIds],
      dropAnswerDropletIds: [...this.currentFaults.dropAnswerDropletIds],
      erroredDropletIds: [...this.currentFaults.erroredDropletIds],
    };
  }
}
