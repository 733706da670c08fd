import { SimulatedClock } from './clock';
import { ActionEngine } from './engine/action-engine';
import { buildFleet, dropletFromSeed } from './fleet';
import type { ActionRecord, DropletRecord, SnapshotRecord } from './model';
import {
  resolveFaults,
  type DropletSeed,
  type FaultOptions,
  type ResolvedFaults,
  type ResolvedOptions,
} from './options';
import { createRandom, type Random } from './random';
import { RateLimiter } from './rate-limiter';
import { SimulatorUsageError } from './simulator-error';
import { SimulatorStore } from './store';

/** The faults in force, with plain arrays so that they serialise to JSON. */
export interface FaultsView {
  readonly serverErrorRate: number;
  readonly latencyMs: number;
  readonly dropAfterProcessRate: number;
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
  /** Requests per `METHOD /v2/template` (the spec's path template), counted on arrival, 401s and 429s included. */
  readonly requestCounts: Record<string, number>;
  /** How many requests were answered 429. */
  readonly rateLimited: number;
  readonly faults: FaultsView;
}

/**
 * The simulated account and its machinery, independent of HTTP: store, clock, action engine,
 * rate limiter, faults and counters. `reset` rebuilds the account from the start options.
 */
export class SimulatorCore {
  readonly clock: SimulatedClock;
  readonly rateLimiter: RateLimiter | undefined;
  /** Decides injected HTTP faults; separate from the engine's stream so that one does not shift the other. */
  readonly faultRandom: Random;
  private currentStore!: SimulatorStore;
  private currentEngine!: ActionEngine;
  private currentFaults!: ResolvedFaults;
  private counts = new Map<string, number>();
  private rateLimitedCount = 0;

  constructor(readonly options: ResolvedOptions) {
    this.clock = new SimulatedClock(options.clock === 'manual');
    this.rateLimiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit);
    this.faultRandom = createRandom(options.seed + 1);
    this.reset();
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

  /** Back to the start: the same fleet, no actions or snapshots, zeroed counters, the start faults. */
  reset(): void {
    this.currentStore = new SimulatorStore(buildFleet(this.options, this.clock.now()));
    this.currentFaults = this.options.faults;
    this.currentEngine = new ActionEngine(
      this.currentStore,
      this.clock,
      createRandom(this.options.seed + 2),
      {
        actionErrorRate: this.options.actionErrorRate,
        timeScale: this.options.timeScale,
        faults: () => this.currentFaults,
      },
    );
    this.counts = new Map();
    this.rateLimitedCount = 0;
    this.rateLimiter?.reset();
  }

  /** Changes some faults, keeping the others; takes effect on the next request. */
  setFaults(faults: FaultOptions): FaultsView {
    this.currentFaults = resolveFaults(faults, this.currentFaults);
    return this.faultsView();
  }

  /** Adds a droplet described by a test; returns a copy of it. */
  addDroplet(seed: DropletSeed): DropletRecord {
    const store = this.currentStore;
    const id = seed.id ?? (store.dropletList.at(-1)?.id ?? 400_000_000) + 1;
    if (store.droplets.has(id)) {
      throw new SimulatorUsageError(`droplet id: expected a free id, got: ${id}`);
    }
    const index = store.dropletList.length;
    const droplet = dropletFromSeed(
      seed,
      index,
      id,
      createRandom(this.options.seed + index),
      this.clock.now(),
    );
    store.addDroplet(droplet);
    return structuredClone(droplet);
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

  state(): SimulatorStateView {
    this.currentEngine.settle();
    return {
      now: new Date(this.clock.now()).toISOString(),
      droplets: structuredClone(this.currentStore.dropletList),
      actions: structuredClone(this.currentStore.actionList),
      snapshots: structuredClone([...this.currentStore.snapshots.values()]),
      requestCounts: this.requestCounts(),
      rateLimited: this.rateLimitedCount,
      faults: this.faultsView(),
    };
  }

  private faultsView(): FaultsView {
    return {
      ...this.currentFaults,
      stuckDropletIds: [...this.currentFaults.stuckDropletIds],
      erroredDropletIds: [...this.currentFaults.erroredDropletIds],
    };
  }
}
