import type { Clock } from '../../../../lambdas/adapters/digitalocean/clock';

/**
 * A clock that only moves when the test says so. `advance` fires due sleepers in time order and
 * lets the promises they release run before moving on.
 */
export class ManualClock implements Clock {
  #now: number;
  #sleepers: { at: number; wake: () => void }[] = [];

  constructor(start = Date.UTC(2026, 10, 27, 8, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((wake) => {
      if (signal?.aborted) return wake();
      const sleeper = { at: this.#now + Math.max(0, ms), wake };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
          wake();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, waking sleepers as their time comes. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      await flush();
      this.#sleepers.sort((a, b) => a.at - b.at);
      const next = this.#sleepers[0];
      if (!next || next.at > target) break;
      this.#sleepers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.wake();
    }
    this.#now = target;
    await flush();
  }
}

/** A clock with real time whose sleeps return at once but are recorded, to see backoffs without waiting. */
export class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  #offset = 0;

  now(): number {
    return Date.now() + this.#offset;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.#offset += Math.max(0, ms);
  }
}

/** Lets every pending promise callback run (a macrotask turn drains the microtask queue). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
