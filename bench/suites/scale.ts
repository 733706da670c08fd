import { DIGITALOCEAN_RATE_LIMIT_WINDOWS } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { drainWorkQueue } from '../../lambdas/adapters/in-memory/drain-work-queue';
import { InMemoryActionLedger } from '../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../lambdas/core/use-cases/initiate-action';
import { makePolicy } from '../../test/support/make-policy';
import type { BenchSuite } from '../figure';
import { DiscreteEventClock } from '../support/discrete-event-clock';
import { minimumMakespanMs } from '../support/minimum-makespan';
import { virtualWorld, VIRTUAL_EPOCH } from '../support/virtual-world';

const TEAMS = 5;
const DROPLETS_PER_TEAM = Number(process.env.BENCH_TEAM_DROPLETS ?? 20_000);
/** Initiate deliveries at once, per team (the per-team cap of the initiate function's concurrency). */
const TEAM_CONCURRENCY = 16;
const HOUR = 3_600_000;

/**
 * Many teams, one deployment: 5 teams of 20,000 droplets each (100,000 in all), every team's
 * policy firing on the same tick, on the virtual clock. Each team has its own DigitalOcean
 * account and token, its own rate limiter, its own work queue drained at its own concurrency; the
 * ledger is shared. One team's backlog has nowhere to hold another's back.
 *
 * - `scale.teams_fairness`: the slowest team's makespan (tick to its last action started) over
 *   the least time its own token's limits allow for 20,000 requests. 1.0 is perfect isolation.
 * - `scale.teams_makespan_h`: that slowest makespan, in simulated hours.
 */
export const scaleSuite: BenchSuite = async (record) => {
  const clock = new DiscreteEventClock(VIRTUAL_EPOCH);
  const ledger = new InMemoryActionLedger({ now: () => clock.now() });
  const teams = await Promise.all(
    Array.from({ length: TEAMS }, async (_, index) => {
      const team = `team-${index + 1}`;
      const world = await virtualWorld({
        clock,
        ledger,
        simulator: {
          droplets: DROPLETS_PER_TEAM,
          seed: index + 1,
          rateLimit: { perMinute: 250, perHour: 5000 },
        },
      });
      const ids = world.simulator.state().droplets.map((droplet) => droplet.id);
      const policy = makePolicy({
        name: `${team}-reboot`,
        team,
        targets: { dropletIds: ids },
        action: { type: 'reboot' },
      });
      return { team, world, policy };
    }),
  );
  const scheduledTime = new Date(VIRTUAL_EPOCH).toISOString();
  const { result: makespans } = await clock.run(
    () =>
      Promise.all(
        teams.map(async ({ world, policy }) => {
          await dispatchRun(world.runtime, { policy, scheduledTime });
          const left = await drainWorkQueue(
            world.runtime.queue,
            async (item) => void (await initiateAction(world.runtime, item)),
            { timeoutMs: 12 * HOUR, concurrency: TEAM_CONCURRENCY, clock },
          );
          const started = world.simulator.state().actions.length;
          if (left > 0 || started !== DROPLETS_PER_TEAM)
            throw new Error(
              `${policy.team}: expected ${DROPLETS_PER_TEAM} actions, got ${started} (${left} left queued)`,
            );
          return clock.now() - VIRTUAL_EPOCH;
        }),
      ),
    { maxSimulatedMs: 24 * HOUR },
  );
  const bound = minimumMakespanMs(DROPLETS_PER_TEAM, DIGITALOCEAN_RATE_LIMIT_WINDOWS);
  const slowest = Math.max(...makespans);
  record({
    name: 'scale.teams_fairness',
    value: slowest / bound,
    unit: 'ratio',
    goal: { max: 1.05 },
    clock: 'virtual',
  });
  record({ name: 'scale.teams_makespan_h', value: slowest / HOUR, unit: 'hours', clock: 'virtual' });
  for (const { world } of teams) await world.runtime.close();
};
