import { drainWorkQueue } from '../../lambdas/adapters/in-memory/drain-work-queue';
import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import { initiateAction, type InitiateOutcome } from '../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';

export interface DrainWithOutcomesOptions {
  /** Give up waiting after this many milliseconds of wall time; what is still queued stays queued. */
  readonly timeoutMs: number;
  /** Stops taking new items (items in flight finish first). */
  readonly signal?: AbortSignal;
  /**
   * Items initiated at once; the client's rate limiter paces the requests underneath.
   * @default 10
   */
  readonly concurrency?: number;
  /** Called with each item and what initiate made of it, for progress bars, summaries and the live log. */
  readonly onOutcome?: (item: InitiateWorkItem, outcome: InitiateOutcome) => void;
  /** Called when initiate throws (the item stays queued for redelivery, as over SQS). */
  readonly onFailure?: (item: InitiateWorkItem, error: unknown) => void;
}

/**
 * Initiates every queued item, as the runtime's own `drain` does, but tells the caller what became
 * of each one: the runtime's drain only answers how many items are left, and the CLI has to show
 * started / skipped / rejected / retrying with DigitalOcean's messages.
 * Resolves with the number of items still queued (delayed retries included).
 */
export async function drainWithOutcomes(
  runtime: LocalRuntime,
  options: DrainWithOutcomesOptions,
): Promise<number> {
  return drainWorkQueue(
    runtime.queue,
    async (item) => {
      let outcome: InitiateOutcome;
      try {
        outcome = await initiateAction(runtime, item);
      } catch (error) {
        options.onFailure?.(item, error);
        throw error;
      }
      options.onOutcome?.(item, outcome);
    },
    { timeoutMs: options.timeoutMs, signal: options.signal, concurrency: options.concurrency },
  );
}
