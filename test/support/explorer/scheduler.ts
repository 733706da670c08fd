import { NetworkError } from '../../../lambdas/core/errors/network-error';
import { RateLimitedError } from '../../../lambdas/core/errors/rate-limited-error';
import { ServerError } from '../../../lambdas/core/errors/server-error';

/** A small seeded generator (mulberry32): one seed, one schedule, every time. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

/** The explorer's clock: only the scheduler moves it, between two steps. */
export class VirtualClock {
  constructor(public now: number) {}

  date(): Date {
    return new Date(this.now);
  }
}

/**
 * What an awaited call does to the world, which decides the faults it can meet. A `sleep` (an
 * event source waiting for its timer or its next message) meets none; an `arrival` (a request
 * landing at DigitalOcean after its connection dropped) only a crash before: the request is lost.
 */
export type GateKind = 'read' | 'write' | 'post' | 'do-read' | 'sleep' | 'arrival';

/** A process that was killed: every later await of it fails with this, and does nothing. */
export class Crash extends Error {
  constructor(readonly process: string) {
    super(`${process} crashed`);
  }
}

export interface Process {
  readonly name: string;
  dead: boolean;
}

interface Gate {
  readonly process: Process;
  readonly label: string;
  readonly kind: GateKind;
  readonly run: () => Promise<unknown>;
  /** The gate cannot be let go before this instant (a timer, a message's visibility). */
  readonly readyAt?: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface FaultRates {
  /** A process dies before its call takes effect. */
  readonly crashBefore: number;
  /** A process dies right after its call took effect (its answer never arrives). */
  readonly crashAfter: number;
  /** A POST is carried out and its answer lost (a dropped connection). */
  readonly lostAnswer: number;
  /** A request is refused with a 429, carrying nothing out. */
  readonly rateLimited: number;
  /** A read fails with a 5xx. */
  readonly serverError: number;
  /** The clock jumps between two steps (a GC pause, a frozen Lambda, a slow network). */
  readonly clockJump: number;
}

export const DEFAULT_FAULTS: FaultRates = {
  crashBefore: 0.03,
  crashAfter: 0.03,
  lostAnswer: 0.15,
  rateLimited: 0.05,
  serverError: 0.05,
  clockJump: 0.25,
};

/** One step the scheduler took, for a readable report of a failing schedule. */
export interface Step {
  readonly at: number;
  readonly process: string;
  readonly label: string;
  readonly fault?: string;
}

/**
 * Runs concurrent processes one awaited call at a time, in an order chosen by a seeded generator:
 * every call that touches the ledger or DigitalOcean is a gate, and at each step the scheduler
 * picks one waiting gate, may move the clock, may inject a fault there (a crash before or after
 * the call, a lost answer, a 429, a 5xx), and lets it go. The same seed gives the same schedule.
 */
export class Scheduler {
  readonly steps: Step[] = [];
  #waiting: Gate[] = [];
  #faultsOn = true;
  /** Faults (and clock jumps) end here; the processes go on interleaving without them. */
  #faultsUntil = Infinity;
  /** Processes not yet ended: those given to `run`, and those spawned while it runs. */
  #running = 0;

  constructor(
    readonly random: Random,
    readonly clock: VirtualClock,
    readonly faults: FaultRates,
    readonly jumpsMs: readonly number[],
  ) {}

  /** Turns fault injection off (the recovery phase after the explored part). */
  calm(): void {
    this.#faultsOn = false;
  }

  /**
   * Injects no fault (and no clock jump) from `at` on, while the processes still interleave at
   * every gate: how a liveness check sees whether they settle by themselves once the faults stop.
   */
  faultsEndAt(at: number): void {
    this.#faultsUntil = at;
  }

  /** A process started while `run` runs (a queue's redelivery, a timer's pass): `run` waits for it too. */
  spawn(process: Promise<unknown>): void {
    this.#running += 1;
    void process.finally(() => {
      this.#running -= 1;
    });
  }

  /**
   * Wraps one call of `process`: it waits until the scheduler lets it go, and not before `readyAt`
   * (when nothing else can go, the clock moves on to the earliest such instant).
   */
  gate<T>(
    process: Process,
    label: string,
    kind: GateKind,
    run: () => Promise<T>,
    readyAt?: number,
  ): Promise<T> {
    if (process.dead) return Promise.reject(new Crash(process.name));
    if (!this.#faultsOn) return run();
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({
        process,
        label,
        kind,
        run,
        readyAt,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  /** Runs the processes to their end (or their death), within `maxSteps`; false when they did not finish. */
  async run(processes: readonly Promise<unknown>[], maxSteps: number): Promise<boolean> {
    for (const process of processes) this.spawn(process);
    for (let step = 0; step < maxSteps; step += 1) {
      await settle();
      if (this.#waiting.length === 0) {
        if (this.#running === 0) return true;
        // A process waits on something that is not a gate (a timer); let it run.
        await new Promise((resolve) => setTimeout(resolve, 0));
        continue;
      }
      const ready = this.#waiting.filter((gate) => (gate.readyAt ?? -Infinity) <= this.clock.now);
      if (ready.length === 0) {
        // Everyone waits for a timer: time passes until the first one fires.
        this.clock.now = Math.min(...this.#waiting.map((gate) => gate.readyAt as number));
        continue;
      }
      const gate = ready[this.random.int(ready.length)] as Gate;
      this.#waiting.splice(this.#waiting.indexOf(gate), 1);
      if (this.#faulty() && this.random.chance(this.faults.clockJump))
        this.clock.now += this.random.pick(this.jumpsMs);
      await this.#release(gate);
    }
    return false;
  }

  async #release(gate: Gate): Promise<void> {
    if (gate.process.dead) return gate.reject(new Crash(gate.process.name));
    const fault = this.#fault(gate.kind);
    this.steps.push({ at: this.clock.now, process: gate.process.name, label: gate.label, fault });
    if (fault === 'crash-before') {
      gate.process.dead = true;
      return gate.reject(new Crash(gate.process.name));
    }
    if (fault === '429') {
      return gate.reject(
        new RateLimitedError({
          status: 429,
          id: 'too_many_requests',
          request: gate.label,
          message: 'API Rate limit exceeded.',
          retryAfterSeconds: 1,
        }),
      );
    }
    if (fault === '5xx') {
      return gate.reject(
        new ServerError({
          status: 503,
          request: gate.label,
          message: 'Service Unavailable',
          outcomeUnknown: false,
        }),
      );
    }
    let result: unknown;
    try {
      result = await gate.run();
    } catch (error) {
      if (fault === 'crash-after') gate.process.dead = true;
      return gate.reject(fault === 'crash-after' ? new Crash(gate.process.name) : error);
    }
    if (fault === 'crash-after') {
      gate.process.dead = true;
      return gate.reject(new Crash(gate.process.name));
    }
    if (fault === 'lost-answer') {
      return gate.reject(
        new NetworkError({
          status: 0,
          request: gate.label,
          message: 'socket hang up after the request was sent',
          outcomeUnknown: true,
        }),
      );
    }
    gate.resolve(result);
  }

  #faulty(): boolean {
    return this.#faultsOn && this.clock.now < this.#faultsUntil;
  }

  #fault(kind: GateKind): string | undefined {
    if (!this.#faulty() || kind === 'sleep') return undefined;
    const { random, faults } = this;
    if (random.chance(faults.crashBefore)) return 'crash-before';
    if (kind === 'do-read' && random.chance(faults.serverError)) return '5xx';
    if ((kind === 'post' || kind === 'do-read') && random.chance(faults.rateLimited)) return '429';
    if (kind === 'post' && random.chance(faults.lostAnswer)) return 'lost-answer';
    if ((kind === 'write' || kind === 'post') && random.chance(faults.crashAfter)) return 'crash-after';
    return undefined;
  }
}

/** Lets every promise chain run until it waits on a gate again. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
