import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { InitiateOutcome } from '../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';
import { reconcileActions, type ReconcileReport } from '../../lambdas/core/use-cases/reconcile-actions';
import { drainWithOutcomes } from './drain-with-outcomes';

export interface ReconcilePassOptions {
  /**
   * Longest wall time spent initiating the follow-ups the pass queued (the `power_off` fallback,
   * abandoned claims handed back); what is left waits for the next pass.
   * @default 30000
   */
  readonly drainTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onOutcome?: (item: InitiateWorkItem, outcome: InitiateOutcome) => void;
}

/**
 * One reconcile pass as the deployed reconciler makes it, then the work it queued: locally the
 * queue is in memory, so the follow-ups (a `power_off` fallback goes through the work queue, as
 * over SQS) are initiated here rather than by a separate consumer.
 */
export async function reconcilePass(
  runtime: LocalRuntime,
  options: ReconcilePassOptions = {},
): Promise<ReconcileReport> {
  const report = await reconcileActions(runtime);
  if (runtime.queue.size > 0) {
    await drainWithOutcomes(runtime, {
      timeoutMs: options.drainTimeoutMs ?? 30_000,
      signal: options.signal,
      onOutcome: options.onOutcome,
    });
  }
  return report;
}
