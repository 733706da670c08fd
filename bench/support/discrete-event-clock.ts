import type { Clock } from '../../lambdas/core/ports/clock';

interface Sleeper {
  readonly at: number;
  /** Ties at one instant wake in the order they went to sleep. */
  readonly order: number;
  wake: (() => void) | undefined;
}

/** What `run` reports besides the workload's own result. */
export interface DiscreteRunStats {
  /** Instants the clock jumped to. */
  readonly steps: number;
  /** Simulated milliseconds from the start of `run` to its end. */
  readonly elapsedMs: number;
}

/**
 * A discrete-event clock. Time stands still while any code can run; when everything waits on this
 * clock, it jumps to the earliest wake-up. A wait costs no real time, so a workload of hours runs
 * in seconds, and its timings are the same on an idle and a busy machine: they depend on the
 * order of events, which the event loop fixes, not on how fast the CPU gets through them.
 *
 * The workload must wait only on this clock and on promises. Real I/O, real timers or a socket
 * would let the clock jump while they are pending; `run` cannot see them. The in-process simulator
 * and the in-memory adapters qualify, dynalite and the HTTP server do not.
 */
export class DiscreteEventClock implements Clock {
  #now: number;
  #order = 0;
  readonly #heap: Sleeper[] = [];

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = {
        at: this.#now + Math.max(0, ms || 0),
        order: this.#order++,
        wake: undefined,
      };
      const onAbort = () => {
        sleeper.wake = undefined;
        resolve();
      };
      sleeper.wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#push(sleeper);
    });
  }

  /**
   * Runs `workload` to its end, moving the clock whenever nothing else can run. Throws when the
   * workload waits on something that is neither this clock nor a promise that will settle
   * (nothing left to wake), or when it outlives `maxSimulatedMs`.
   */
  async run<T>(
    workload: () => Promise<T>,
    options: { readonly maxSimulatedMs?: number } = {},
  ): Promise<{ readonly result: T } & DiscreteRunStats> {
    const started = this.#now;
    const limit = started + (options.maxSimulatedMs ?? Infinity);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
    workload().then(
      (value) => (outcome = { ok: true, value }),
      (error: unknown) => (outcome = { ok: false, error }),
    );
    let steps = 0;
    for (;;) {
      await quiescence();
      if (outcome) break;
      const next = this.#popLive();
      if (!next) {
        throw new Error(
          'the workload waits on something other than the discrete-event clock (real I/O or a timer?)',
        );
      }
      if (next.at > limit) {
        throw new Error(`the workload ran past ${options.maxSimulatedMs} simulated ms without finishing`);
      }
      this.#now = Math.max(this.#now, next.at);
      steps += 1;
      next.wake?.();
      // Everyone due at this instant wakes now, in the order they went to sleep.
      while (this.#heap.length > 0 && (this.#heap[0] as Sleeper).at <= this.#now) this.#popLive()?.wake?.();
    }
    if (!outcome.ok) throw outcome.error;
    return { result: outcome.value, steps, elapsedMs: this.#now - started };
  }

  #popLive(): Sleeper | undefined {
    for (;;) {
      const top = this.#pop();
      if (top === undefined || top.wake !== undefined) return top;
    }
  }

  #push(sleeper: Sleeper): void {
    const heap = this.#heap;
    heap.push(sleeper);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (!earlier(heap[index] as Sleeper, heap[parent] as Sleeper)) break;
      [heap[parent], heap[index]] = [heap[index] as Sleeper, heap[parent] as Sleeper];
      index = parent;
    }
  }

  #pop(): Sleeper | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let first = index;
      if (left < heap.length && earlier(heap[left] as Sleeper, heap[first] as Sleeper)) first = left;
      if (right < heap.length && earlier(heap[right] as Sleeper, heap[first] as Sleeper)) first = right;
      if (first === index) break;
      [heap[first], heap[index]] = [heap[index] as Sleeper, heap[first] as Sleeper];
      index = first;
    }
    return top;
  }
}

function earlier(a: Sleeper, b: Sleeper): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/**
 * Resolves once every promise callback that could run has run: a macrotask turn drains the
 * microtask queue, and a second one catches work that an immediate of the first queued.
 */
async function quiescence(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
