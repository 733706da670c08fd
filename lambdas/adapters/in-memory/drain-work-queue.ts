import type { Clock } from '../../core/ports/clock';
import { systemClock } from '../digitalocean/clock';
import type { InMemoryWorkQueue } from './in-memory-work-queue';

export interface DrainOptions {
  /**
   * Items handled at once; the rate limiter paces the API calls underneath.
   * @default 10
   */
  readonly concurrency?: number;
  /** Give up waiting after this many milliseconds on `clock`; items still queued are left queued. */
  readonly timeoutMs: number;
  /**
   * Longest single wait for a delayed item, so that a stop signal is noticed promptly.
   * @default 250
   */
  readonly pollMs?: number;
  /** Stops the drain early (e.g. on SIGINT); items in flight finish first. */
  readonly signal?: AbortSignal;
  /**
   * Time for the timeout and the waits for delayed items; the queue's own `now` should read it too.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Delivers every item, including delayed and redelivered ones, until the queue is empty, the time
 * runs out or the signal aborts. Returns the number of items still queued.
 */
export async function drainWorkQueue<T>(
  queue: InMemoryWorkQueue<T>,
  handler: (item: T) => Promise<void>,
  options: DrainOptions,
): Promise<number> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutMs;
  const concurrency = options.concurrency ?? 10;
  const pollMs = options.pollMs ?? 250;
  while (queue.size > 0 && clock.now() < deadline && !options.signal?.aborted) {
    const delivered = await queue.deliver(handler, concurrency);
    if (delivered > 0) continue;
    const now = clock.now();
    const wait = Math.min(Math.max((queue.nextVisibleAt() ?? now) - now, 1), pollMs, deadline - now);
    await clock.sleep(Math.max(wait, 0), options.signal);
  }
  return queue.size;
}
