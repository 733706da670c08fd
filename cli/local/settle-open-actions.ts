import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { ReconcileReport } from '../../lambdas/core/use-cases/reconcile-actions';
import { openActions, type OpenActions } from './open-actions';
import { reconcilePass, type ReconcilePassOptions } from './reconcile-pass';

/** What several reconcile passes did together, and what is still open after them. */
export interface SettleReport {
  readonly passes: number;
  /** Open items the passes looked at; 0 when none was due, and DigitalOcean was then not asked. */
  readonly examined: number;
  readonly completed: number;
  readonly errored: number;
  readonly timedOut: number;
  readonly followUpsQueued: number;
  /** Open ledger items after the last pass. */
  readonly stillOpen: number;
  /** When the earliest of them falls due for a look (epoch ms); absent when none is open. */
  readonly nextDueAt?: number;
  /** Work items still queued (a busy droplet's retry, a follow-up not yet initiated). */
  readonly queued: number;
  readonly settled: boolean;
}

export interface SettleOptions extends ReconcilePassOptions {
  /** Wall-time bound on the whole loop. */
  readonly timeoutMs: number;
  /**
   * Longest sleep between passes; the loop wakes earlier when an open item falls due.
   * @default 5000
   */
  readonly maxIntervalMs?: number;
  /** Called after each pass with its report and the open count, for progress output. */
  readonly onPass?: (pass: ReconcileReport, open: number) => void;
  /** Called before each sleep between passes: what is open, and when the next pass looks. */
  readonly onWait?: (open: OpenActions, wakeAt: number) => void;
}

/**
 * Reconcile passes until no open action and no queued follow-up is left, the time runs out or the
 * signal aborts (the current pass finishes first). Between passes it sleeps until the next open
 * item is due, so that a time-scaled run settles in seconds and a real one does not spin.
 */
export async function settleOpenActions(
  runtime: LocalRuntime,
  options: SettleOptions,
): Promise<SettleReport> {
  const deadline = Date.now() + options.timeoutMs;
  const totals = { passes: 0, examined: 0, completed: 0, errored: 0, timedOut: 0, followUpsQueued: 0 };
  let open = await openActions(runtime.ledger);
  while (!options.signal?.aborted) {
    const pass = await reconcilePass(runtime, options);
    totals.passes += 1;
    totals.examined += pass.examined;
    totals.completed += pass.completed;
    totals.errored += pass.errored;
    totals.timedOut += pass.timedOut;
    totals.followUpsQueued += pass.followUpsQueued;
    open = await openActions(runtime.ledger);
    options.onPass?.(pass, open.count);
    if ((open.count === 0 && runtime.queue.size === 0) || Date.now() >= deadline) break;
    const wakeAt = Math.min(
      open.nextDueAt ?? Infinity,
      runtime.queue.nextVisibleAt() ?? Infinity,
      Date.now() + (options.maxIntervalMs ?? 5000),
      deadline,
    );
    options.onWait?.(open, wakeAt);
    await sleep(Math.max(wakeAt - Date.now(), 50), undefined, { signal: options.signal }).catch(
      () => undefined,
    );
  }
  return {
    ...totals,
    stillOpen: open.count,
    ...(open.nextDueAt === undefined ? {} : { nextDueAt: open.nextDueAt }),
    queued: runtime.queue.size,
    settled: open.count === 0 && runtime.queue.size === 0,
  };
}
