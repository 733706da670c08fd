import type { InMemoryWorkQueue } from './in-memory-work-queue';

export interface DrainOptions {
  /**
   * Items handled at once; the rate limiter paces the API calls underneath.
   * @default 10
   */
  readonly concurrency?: number;
  /** Give up waiting after this many milliseconds of wall time; items still queued are left queued. */
  readonly timeoutMs: number;
  /**
   * Longest single wait for a delayed item, so that a stop signal is noticed promptly.
   * @default 250
   */
  readonly pollMs?: number;
  /** Stops the drain early (e.g. on SIGINT); items in flight finish first. */
  readonly signal?: AbortSignal;
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
  const deadline = Date.now() + options.timeoutMs;
  const concurrency = options.concurrency ?? 10;
  const pollMs = options.pollMs ?? 250;
  while (queue.size > 0 && Date.now() < deadline && !options.signal?.aborted) {
    const delivered = await queue.deliver(handler, concurrency);
    if (delivered > 0) continue;
    const wait = Math.min(
      Math.max((queue.nextVisibleAt() ?? Date.now()) - Date.now(), 1),
      pollMs,
      deadline - Date.now(),
    );
    await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
  }
  return queue.size;
}
