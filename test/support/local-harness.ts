import { RateLimiter } from '../../lambdas/adapters/digitalocean';
import { createLocalRuntime, type LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { SchedulerEvent } from '../../lambdas/core/events/scheduler-event';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { TimingOptions } from '../../lambdas/core/state/timing';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../simulator';

export interface LocalHarness {
  readonly simulator: SimulatorHandle;
  readonly runtime: LocalRuntime;
  /** Every action item a policy has in the ledger, across all its ticks. */
  actionItems(policy: string): Promise<ActionRecord[]>;
  close(): Promise<void>;
}

/** Rate-limit windows run this many times faster than DigitalOcean's, on both sides. */
const WINDOW_SCALE = 100;

/**
 * Our own processes' durations for tests: the production inequalities with short values, since
 * everything here runs on one machine against a simulator that answers in milliseconds. A claim
 * whose answer was lost is looked at again after about 3 s instead of a minute.
 */
export const TEST_TIMING: Omit<TimingOptions, 'timeScale'> = {
  actionLeaseMs: 3_000,
  runLeaseMs: 3_000,
  clientTimeoutMs: 1_500,
  clockSkewMs: 100,
  transitMs: 400,
  indexLagMs: 100,
  effectsGraceMs: 2_000,
};

/**
 * The simulator over real HTTP and the local runtime on an in-memory dynalite, with the
 * runtime's queue delays shrunk by the simulator's time scale, so that retries of a busy droplet
 * wait simulated seconds, not real ones. Both rate-limit windows stay on, a hundred times shorter,
 * and the client's limiter matches them.
 */
export async function startLocalHarness(
  options: SimulatorOptions & {
    readonly timing?: Omit<TimingOptions, 'timeScale'>;
    /** A ledger opened by the test (e.g. the production adapter on dynalite); @default the local runtime's own */
    readonly ledger?: ActionLedger;
    /** Sees every event the runtime publishes. */
    readonly onEvent?: (event: SchedulerEvent) => void;
  } = {},
): Promise<LocalHarness> {
  const { timing, ledger, onEvent, ...simulatorOptions } = options;
  const timeScale = options.timeScale ?? 600;
  const simulator = await startSimulator({
    droplets: 0,
    rateLimit: { perMinute: 250, perHour: 5000, windowScale: WINDOW_SCALE },
    ...simulatorOptions,
    timeScale,
  });
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    timeScale,
    timing: timing ?? TEST_TIMING,
    ledger,
    onEvent,
    now: () => new Date(simulator.now()),
    client: {
      retry: { baseDelayMs: 5, maxDelayMs: 50 },
      rateLimiter: new RateLimiter({
        windows: [
          { limit: 250, lengthMs: 60_000 / WINDOW_SCALE },
          { limit: 5000, lengthMs: 3_600_000 / WINDOW_SCALE },
        ],
      }),
    },
  });
  return {
    simulator,
    runtime,
    actionItems: async (policy) => {
      const items: ActionRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await runtime.ledger.queryByPolicy(policy, { limit: 1000, cursor });
        items.push(...page.items.filter((item): item is ActionRecord => item.kind === 'action'));
        cursor = page.cursor;
      } while (cursor);
      return items;
    },
    close: async () => {
      await runtime.close();
      await simulator.close();
    },
  };
}
