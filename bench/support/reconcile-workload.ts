import { drainWorkQueue } from '../../lambdas/adapters/in-memory/drain-work-queue';
import { DETAIL_TYPES, type ActionEventDetail } from '../../lambdas/core/events/scheduler-event';
import { countingDropletApi } from '../../lambdas/core/metrics/counting-droplet-api';
import { LookBudget } from '../../lambdas/core/reconcile/look-budget';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../lambdas/core/use-cases/initiate-action';
import { reconcileActions } from '../../lambdas/core/use-cases/reconcile-actions';
import type { ActionListOrder } from '../../simulator';
import { makePolicy } from '../../test/support/make-policy';
import { virtualWorld, VIRTUAL_EPOCH } from './virtual-world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Disk sizes of DigitalOcean's common plans; used disk (40%) and 1 to 3 minutes per GB vary the duration. */
const DISKS_GB = [25, 50, 80, 160];
/** Older actions in the account, so that an oldest-first list puts the workload's pages at the end. */
const HISTORY = 1_000;

export interface ReconcileWorkload {
  /** Snapshots started per droplet at the tick, through the queue and initiate. */
  readonly snapshots: number;
  /** Quick power actions (`power_off` on a tag, one bulk request) started at the tick. */
  readonly quick: number;
  /** The reconciler's share of the token's hourly limit. */
  readonly share: number;
  readonly order: ActionListOrder;
}

export interface ReconcileMeasures {
  /** Detection delay over the action's own duration, in percent, p95, snapshots. */
  readonly delayPctP95: number;
  /** Detection delay of the quick actions, seconds, p95. */
  readonly quickDelayP95S: number;
  /** The most reconcile requests in any sliding hour, over the token's hourly limit. */
  readonly budgetShare: number;
  readonly callsPerAction: number;
  /**
   * The least share of the hourly limit that could keep every snapshot's delay within 10% of its
   * duration by reading list pages, given where the actions sit in the list (see `pageBound`).
   */
  readonly boundShare: number;
  /** Simulated hours from the tick until the last action was settled. */
  readonly hours: number;
}

/**
 * Snapshots of mixed disk sizes and quick power actions started at one tick, the reconciler on
 * its one-minute schedule within its share of the token's budget, everything on the virtual
 * clock and DigitalOcean's real limits and durations. The tick comes an hour after the reconciler
 * started, so that its budget holds the savings of idle minutes, as a deployed one's would.
 */
export async function runReconcileWorkload(workload: ReconcileWorkload): Promise<ReconcileMeasures> {
  const { clock, simulator, runtime } = await virtualWorld({
    // Starts never take the reconciler's share of the token (see `RateLimiterOptions.reserve`).
    limiter: { reserve: workload.share },
    simulator: {
      droplets: 0,
      rateLimit: { perMinute: 250, perHour: 5000 },
      actionListOrder: workload.order,
      seedDroplets: [
        ...Array.from({ length: workload.snapshots }, (_, index) => ({
          disk: DISKS_GB[index % DISKS_GB.length],
          tags: ['db'],
        })),
        ...Array.from({ length: Math.max(workload.quick, HISTORY) }, (_, index) => ({
          tags: index < workload.quick ? ['web', 'old'] : ['old'],
        })),
      ],
    },
  });
  const detected = new Map<number, number>();
  const events = {
    publish: async (published: Parameters<typeof runtime.events.publish>[0]) => {
      await runtime.events.publish(published);
      for (const event of published) {
        if (event.detailType !== DETAIL_TYPES.completed && event.detailType !== DETAIL_TYPES.failed) continue;
        const actionId = (event.detail as ActionEventDetail).actionId;
        // Events go out at least once: the first is when the ledger learnt it.
        if (actionId !== null && !detected.has(actionId)) detected.set(actionId, clock.now());
      }
    },
  };
  const deps = { ...runtime, events };
  const counted = countingDropletApi(runtime.api);
  const budget = new LookBudget({ share: workload.share, startedAt: clock.now() });
  const reconcileRequests: number[] = [];
  const tick = VIRTUAL_EPOCH + HOUR;
  const expected = workload.snapshots + workload.quick;
  let started = false;
  let settled = 0;

  await clock.run(
    async () => {
      await runtime.api.initiateByTag('old', { type: 'power_cycle' });
      const reconciler = (async () => {
        while (!started || settled < expected) {
          await clock.sleep(MINUTE - (clock.now() % MINUTE));
          const before = counted.count();
          const report = await reconcileActions({ ...deps, api: counted.api }, { budget });
          for (let index = before; index < counted.count(); index += 1) reconcileRequests.push(clock.now());
          settled += report.completed + report.errored + report.timedOut + report.skipped;
        }
      })();
      await clock.sleep(tick - clock.now());
      const snapshots = makePolicy({
        name: 'bench-snapshots',
        targets: { tag: 'db' },
        action: { type: 'snapshot' },
        timeoutMinutes: 720,
      });
      const quick = makePolicy({ name: 'bench-off', targets: { tag: 'web' }, action: { type: 'power_off' } });
      const scheduledTime = new Date(tick).toISOString();
      if (workload.quick > 0) await dispatchRun(deps, { policy: quick, scheduledTime });
      await dispatchRun(deps, { policy: snapshots, scheduledTime });
      started = true;
      await drainWorkQueue(runtime.queue, async (item) => void (await initiateAction(deps, item)), {
        timeoutMs: 12 * HOUR,
        concurrency: 32,
        clock,
      });
      await reconciler;
    },
    { maxSimulatedMs: 24 * HOUR },
  );

  const actions = simulator.state().actions.filter((action) => action.startedAt >= tick);
  const delay = (action: (typeof actions)[number]) =>
    Math.max(0, (detected.get(action.id) ?? Infinity) - (action.completedAt ?? Infinity));
  const snapshotDelays = actions
    .filter((action) => action.type === 'snapshot')
    .map((action) => (100 * delay(action)) / ((action.completedAt ?? 0) - action.startedAt));
  const quickDelays = actions
    .filter((action) => action.type === 'power_off')
    .map((action) => delay(action) / 1000);
  if (detected.size < expected) throw new Error(`expected ${expected} actions settled, got ${detected.size}`);
  return {
    delayPctP95: percentile(snapshotDelays, 0.95),
    quickDelayP95S: percentile(quickDelays, 0.95),
    budgetShare: maxInAnyHour(reconcileRequests) / budget.hourlyLimit,
    callsPerAction: reconcileRequests.length / expected,
    boundShare: pageBound(simulator.state().actions, workload.order, tick) / budget.hourlyLimit,
    hours: (Math.max(...detected.values()) - tick) / HOUR,
  };
}

/**
 * A lower bound on the page reads an hour needs, on average over the run: the list is cut into
 * pages of 200 as it stands each minute, and every page holding a running snapshot must be read
 * at least once per tenth of the shortest duration among them (no sooner than once a minute, the
 * reconciler's pace), or that snapshot's delay may pass 10% of its duration. Reading the pages
 * of the finished actions, finding pages and quick actions all come on top, so the real need is
 * higher; the bound says which shares no planner could meet.
 */
function pageBound(
  all: ReadonlyArray<{ id: number; type: string; startedAt: number; completedAt: number | null }>,
  order: ActionListOrder,
  from: number,
): number {
  const listed = [...all].sort((a, b) => (order === 'newest-first' ? b.id - a.id : a.id - b.id));
  const end = Math.max(...listed.map((action) => action.completedAt ?? from));
  let reads = 0;
  let minutes = 0;
  for (let at = from; at < end; at += MINUTE) {
    minutes += 1;
    const visible = listed.filter((action) => action.startedAt <= at);
    for (let start = 0; start < visible.length; start += 200) {
      const running = visible
        .slice(start, start + 200)
        .filter((action) => action.type === 'snapshot' && (action.completedAt ?? Infinity) > at);
      if (running.length === 0) continue;
      const shortest = Math.min(
        ...running.map((action) => (action.completedAt ?? Infinity) - action.startedAt),
      );
      reads += 1 / Math.max(1, (0.1 * shortest) / MINUTE);
    }
  }
  return minutes === 0 ? 0 : (reads / minutes) * 60;
}

function maxInAnyHour(times: readonly number[]): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last += 1) {
    while ((times[last] as number) - (times[first] as number) >= HOUR) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
