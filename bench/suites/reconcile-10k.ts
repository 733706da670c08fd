import type { BenchSuite } from '../figure';
import { runReconcileWorkload } from '../support/reconcile-workload';

const SHARES = [0.05, 0.1, 0.2] as const;

/**
 * 10,000 snapshots of mixed disk sizes started at the token's full rate (about two hours at 5,000
 * an hour, less what the reconciler takes), so that the reconciler shares the budget with
 * initiation the whole time; on the virtual clock. The goals of the 1,000-snapshot workload are
 * not all reachable together here, so the suite prints the trade-off between the reconciler's
 * share and the detection delay at shares of 5%, 10% and 20%, and the physical bound:
 *
 * - `reconcile.*_10k`: the figures at the default share (10%).
 * - `reconcile.share_<n>.*_10k`: the figures at a share of n%.
 * - `reconcile.bound_share_10k`: the least share that could keep every snapshot within 10% of its
 *   duration by reading list pages, given where the actions sit in the list (no planner does
 *   better; finding pages and the finished actions' pages come on top).
 */
export const reconcile10kSuite: BenchSuite = async (record) => {
  for (const share of SHARES) {
    const measured = await runReconcileWorkload({
      snapshots: 10_000,
      quick: 0,
      share,
      order: 'newest-first',
    });
    const prefix = share === 0.1 ? 'reconcile.' : `reconcile.share_${Math.round(share * 100)}.`;
    record({
      name: `${prefix}detection_delay_p95_pct_10k`,
      value: measured.delayPctP95,
      unit: '%',
      ...(share === 0.1 ? { goal: { max: 10 } } : {}),
      clock: 'virtual',
    });
    record({
      name: `${prefix}budget_share_10k`,
      value: measured.budgetShare,
      unit: 'of the hourly limit',
      ...(share === 0.1 ? { goal: { max: 0.1 } } : {}),
      clock: 'virtual',
    });
    record({ name: `${prefix}api_calls_per_action_10k`, value: measured.callsPerAction, unit: 'requests' });
    record({ name: `${prefix}hours_to_settle_10k`, value: measured.hours, unit: 'hours', clock: 'virtual' });
    if (share === 0.1)
      record({
        name: 'reconcile.bound_share_10k',
        value: measured.boundShare,
        unit: 'of the hourly limit',
        clock: 'virtual',
      });
  }
};
