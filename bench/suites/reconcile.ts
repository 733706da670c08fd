import { RateLimiter } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { createLocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { countingDropletApi } from '../../lambdas/core/metrics/counting-droplet-api';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { reconcileActions } from '../../lambdas/core/use-cases/reconcile-actions';
import { startSimulator } from '../../simulator';
import { makePolicy } from '../../test/support/make-policy';
import type { BenchSuite } from '../figure';

const SNAPSHOTS = 1_000;
/** Disk sizes of DigitalOcean's common plans; used disk (and so duration) varies inside each. */
const DISKS_GB = [25, 50, 80, 160];
/** Simulated time runs 600 times faster: the one-minute reconcile interval is 100 real ms. */
const TIME_SCALE = 600;
const INTERVAL_MS = 60_000 / TIME_SCALE;
const TICK = '2026-11-27T02:00:00.000Z';

/**
 * 1,000 snapshots of varied disk sizes started at once, then the reconciler on its one-minute
 * interval (time-scaled) until every one is settled.
 *
 * - `reconcile.api_calls_per_action`: DigitalOcean requests the reconciler made (list pages, single
 *   lookups) over the actions it settled.
 * - `reconcile.detection_delay_intervals`: mean time from an action completing in the simulator to
 *   its terminal ledger write, in reconcile intervals; p95 and max are printed beside it.
 */
export const reconcileSuite: BenchSuite = async (record) => {
  const simulator = await startSimulator({
    droplets: 0,
    timeScale: TIME_SCALE,
    rateLimit: false,
    seedDroplets: Array.from({ length: SNAPSHOTS }, (_, index) => ({
      disk: DISKS_GB[index % DISKS_GB.length],
      tags: ['db'],
    })),
  });
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    timeScale: TIME_SCALE,
    client: {
      rateLimiter: new RateLimiter({ windows: [{ limit: 1_000_000, lengthMs: 1_000 }], safetyMargin: 0 }),
    },
  });
  try {
    const policy = makePolicy({
      name: 'bench-snapshots',
      targets: { tag: 'db' },
      action: { type: 'snapshot' },
      timeoutMinutes: 720,
    });
    await dispatchRun(runtime, { policy, scheduledTime: TICK });
    await runtime.drain({ timeoutMs: 120_000, concurrency: 32 });

    const counted = countingDropletApi(runtime.api);
    const deps = { ...runtime, api: counted.api };
    let settled = 0;
    const deadline = Date.now() + 5 * 60_000;
    while (settled < SNAPSHOTS && Date.now() < deadline) {
      const passStarted = Date.now();
      const report = await reconcileActions(deps);
      settled += report.completed + report.errored + report.timedOut;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, INTERVAL_MS - (Date.now() - passStarted))),
      );
    }
    if (settled < SNAPSHOTS)
      throw new Error(`expected ${SNAPSHOTS} snapshots settled, got ${settled} within 5 minutes`);

    const delays = await detectionDelays(runtime, simulator);
    record({
      name: 'reconcile.api_calls_per_action',
      value: counted.count() / settled,
      unit: 'requests',
      goal: { max: 0.05 },
    });
    record({
      name: 'reconcile.detection_delay_intervals',
      value: mean(delays),
      unit: 'intervals',
      goal: { max: 1 },
    });
    record({
      name: 'reconcile.detection_delay_p95_intervals',
      value: percentile(delays, 0.95),
      unit: 'intervals',
    });
    record({
      name: 'reconcile.detection_delay_max_intervals',
      value: Math.max(...delays),
      unit: 'intervals',
    });
  } finally {
    await runtime.close();
    await simulator.close();
  }
};

async function detectionDelays(
  runtime: Awaited<ReturnType<typeof createLocalRuntime>>,
  simulator: Awaited<ReturnType<typeof startSimulator>>,
): Promise<number[]> {
  const items: ActionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.ledger.queryByPolicy('bench-snapshots', { limit: 1000, cursor });
    items.push(...page.items.filter((item): item is ActionRecord => item.kind === 'action'));
    cursor = page.cursor;
  } while (cursor);
  return items.map((item) => {
    const completedAt = simulator.action(item.actionId ?? 0)?.completedAt ?? Date.parse(item.updatedAt);
    return Math.max(0, Date.parse(item.updatedAt) - completedAt) / INTERVAL_MS;
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1);
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
