import type { BenchSuite } from '../figure';
import { runReconcileWorkload } from '../support/reconcile-workload';

/**
 * 1,000 snapshots of mixed disk sizes (25 to 160 GB: 10 minutes to over 3 hours) and 1,000 quick
 * power actions started at one tick, then the reconciler on its one-minute schedule within 10% of
 * the token's hourly budget, in process on the virtual clock (DigitalOcean's real durations and
 * limits; see `runReconcileWorkload`). Run with the simulator's action list newest first, then
 * oldest first, since DigitalOcean documents no order.
 *
 * - `reconcile.detection_delay_p95_pct`: how late the ledger learns that a snapshot ended, as a
 *   percentage of the snapshot's own duration, p95.
 * - `reconcile.quick_detection_p95_s`: the same for the power actions, in seconds of DigitalOcean time.
 * - `reconcile.budget_share`: the reconciler's requests in its busiest sliding hour over the token's
 *   hourly limit (5,000).
 * - `reconcile.api_calls_per_action`: the reconciler's requests over the actions it settled.
 * - `*_oldest_first`: the same with the list oldest first, behind 1,000 older actions.
 */
export const reconcileSuite: BenchSuite = async (record) => {
  for (const order of ['newest-first', 'oldest-first'] as const) {
    const suffix = order === 'newest-first' ? '' : '_oldest_first';
    const measured = await runReconcileWorkload({ snapshots: 1_000, quick: 1_000, share: 0.1, order });
    record({
      name: `reconcile.detection_delay_p95_pct${suffix}`,
      value: measured.delayPctP95,
      unit: '%',
      goal: { max: 10 },
      clock: 'virtual',
    });
    record({
      name: `reconcile.quick_detection_p95_s${suffix}`,
      value: measured.quickDelayP95S,
      unit: 's',
      goal: { max: 60 },
      clock: 'virtual',
    });
    record({
      name: `reconcile.budget_share${suffix}`,
      value: measured.budgetShare,
      unit: 'of the hourly limit',
      goal: { max: 0.1 },
      clock: 'virtual',
    });
    record({
      name: `reconcile.api_calls_per_action${suffix}`,
      value: measured.callsPerAction,
      unit: 'requests',
    });
  }
};
