import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import { initiateAction, type InitiateOutcome } from '../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';
import { drainWithOutcomes } from './drain-with-outcomes';

export interface QueueWorkerOptions {
  readonly onOutcome?: (item: InitiateWorkItem, outcome: InitiateOutcome) => void;
  readonly onFailure?: (item: InitiateWorkItem, error: unknown) => void;
  /**
   * Items initiated at once.
   * @default 10
   */
  readonly concurrency?: number;
}

/**
 * The local stand-in for the initiate Lambda's SQS trigger: one consumer of the in-memory work
 * queue, woken whenever something is queued (a tick, a reconcile follow-up, a retry). Draining is
 * serialised, so that ticks that fire together never race each other over the same items.
 */
export class QueueWorker {
  private running: Promise<void> | undefined;
  private again = false;
  private readonly stopping = new AbortController();

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly options: QueueWorkerOptions = {},
  ) {}

  /** Drains now, or once more after the drain in progress. */
  kick(): void {
    if (this.stopping.signal.aborted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /**
   * Stops waiting for delayed items (a busy droplet's retry: its claim stays `pending`, and the
   * reconciler hands it back after a restart), initiates what is visible now, and resolves when
   * the last item in flight has been handled.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    this.stopping.abort();
    await this.running;
    const deadline = Date.now() + timeoutMs;
    const queue = this.runtime.queue;
    while ((queue.nextVisibleAt() ?? Infinity) <= Date.now() && Date.now() < deadline) {
      await queue.deliver((item) => this.handle(item), this.options.concurrency ?? 10);
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await drainWithOutcomes(this.runtime, {
        // Delayed retries are waited for here too, a busy droplet's backoff being seconds to minutes.
        timeoutMs: 24 * 3_600_000,
        signal: this.stopping.signal,
        concurrency: this.options.concurrency,
        onOutcome: this.options.onOutcome,
        onFailure: this.options.onFailure,
      });
    } while (this.again && !this.stopping.signal.aborted);
  }

  private async handle(item: InitiateWorkItem): Promise<void> {
    try {
      this.options.onOutcome?.(item, await initiateAction(this.runtime, item));
    } catch (error) {
      this.options.onFailure?.(item, error);
      throw error;
    }
  }
}
