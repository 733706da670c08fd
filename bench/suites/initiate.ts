import { RateLimiter, digitalOceanWindows } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { createLocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import { drainWorkQueue } from '../../lambdas/adapters/in-memory/drain-work-queue';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../lambdas/core/use-cases/initiate-action';
import { startSimulator } from '../../simulator';
import { makePolicy } from '../../test/support/make-policy';
import type { BenchSuite } from '../figure';
import { meteredLedger } from '../support/counting-ledger';
import { minimumMakespanMs } from '../support/minimum-makespan';

const ACTIONS = 10_000;
/** DigitalOcean's windows run 30 times faster here: the "hour" is two real minutes. */
const WINDOW_SCALE = 30;
const TICK = '2026-11-27T02:00:00.000Z';

/**
 * Starting per-droplet actions at scale, against the simulator's real rate limits (time-scaled),
 * through the whole local path: dispatch, the work queue, initiate, the dynalite ledger.
 *
 * - `initiate.pacing_ratio`: wall time for 10,000 `reboot`s by id over the least time 10,000
 *   requests can take under both windows (250 a minute and 5,000 an hour, bursts allowed).
 * - `initiate.rate_limited_responses`: 429s the simulator sent meanwhile.
 * - `initiate.ledger_writes_per_action`: ledger writes per action up to `in-progress`.
 * - `bulk.api_requests`: DigitalOcean requests for a `power_off` on a tag of 10,000 droplets.
 */
export const initiateSuite: BenchSuite = async (record) => {
  const simulator = await startSimulator({
    droplets: ACTIONS,
    tags: { fleet: ACTIONS },
    timeScale: 600,
    rateLimit: { perMinute: 250, perHour: 5000, windowScale: WINDOW_SCALE },
  });
  const windows = digitalOceanWindows(WINDOW_SCALE);
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    timeScale: 600,
    client: { rateLimiter: new RateLimiter({ windows }) },
  });
  try {
    const counted = meteredLedger(runtime.ledger);
    const deps = { ...runtime, ledger: counted.ledger };
    const ids = simulator.state().droplets.map((droplet) => droplet.id);
    const policy = makePolicy({
      name: 'bench-reboot',
      targets: { dropletIds: ids },
      action: { type: 'reboot' },
    });

    const started = performance.now();
    await dispatchRun(deps, { policy, scheduledTime: TICK });
    // Drained through the counting ledger, so that initiate's writes are counted too.
    const left = await drainWorkQueue(
      runtime.queue,
      async (item) => void (await initiateAction(deps, item)),
      {
        timeoutMs: 15 * 60_000,
        concurrency: 32,
      },
    );
    const elapsedMs = performance.now() - started;
    const reboots = simulator.state().actions.filter((action) => action.type === 'reboot').length;
    if (left > 0 || reboots !== ACTIONS)
      throw new Error(`expected ${ACTIONS} reboots, got ${reboots} (${left} left queued)`);

    record({
      name: 'initiate.pacing_ratio',
      value: elapsedMs / minimumMakespanMs(ACTIONS, windows),
      unit: 'ratio',
      goal: { max: 1.05 },
    });
    record({
      name: 'initiate.rate_limited_responses',
      value: simulator.state().rateLimited,
      unit: 'responses',
      goal: { max: 0 },
    });
    record({
      name: 'initiate.ledger_writes_per_action',
      value: counted.actionItemWrites() / ACTIONS,
      unit: 'writes',
      goal: { max: 2 },
    });

    simulator.reset();
    const before = totalRequests(simulator.requestCounts());
    const bulk = makePolicy({ name: 'bench-off', targets: { tag: 'fleet' }, action: { type: 'power_off' } });
    const outcome = await dispatchRun(runtime, { policy: bulk, scheduledTime: TICK });
    if (outcome.kind !== 'bulk' || outcome.started !== ACTIONS)
      throw new Error(`expected one bulk start of ${ACTIONS}, got ${JSON.stringify(outcome)}`);
    record({
      name: 'bulk.api_requests',
      value: totalRequests(simulator.requestCounts()) - before,
      unit: 'requests',
      goal: { max: 1 },
    });
  } finally {
    await runtime.close();
    await simulator.close();
  }
};

function totalRequests(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
