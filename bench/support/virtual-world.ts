import { RateLimiter, type RateLimiterOptions } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { InMemoryActionLedger } from '../../lambdas/adapters/in-memory/in-memory-action-ledger';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';
import { createLocalRuntime, type LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import {
  createInProcessSimulator,
  type InProcessSimulator,
  type InProcessSimulatorOptions,
} from '../../simulator/in-process-simulator';
import { DiscreteEventClock } from './discrete-event-clock';

/** Where simulated time starts: a fixed instant, so that every run sees the same timestamps. */
export const VIRTUAL_EPOCH = Date.parse('2026-11-27T02:00:00.000Z');

/** One DigitalOcean account and the scheduler's local runtime, all on one discrete-event clock. */
export interface VirtualWorld {
  readonly clock: DiscreteEventClock;
  readonly simulator: InProcessSimulator;
  readonly runtime: LocalRuntime;
  readonly limiter: RateLimiter;
}

/**
 * The use cases in process against the simulator's core, with no socket and no dynalite: the
 * DigitalOcean client (its limiter, retries and parsing) talks through the simulator's in-process
 * fetch, the ledger and the queue are the in-memory adapters, and every one of them reads `clock`.
 * DigitalOcean's real windows and durations apply (no time scale): simulated time is free.
 */
export async function virtualWorld(options: {
  readonly clock?: DiscreteEventClock;
  readonly simulator: Omit<InProcessSimulatorOptions, 'time'>;
  readonly limiter?: Omit<RateLimiterOptions, 'clock'>;
  /** A ledger shared with other worlds (one deployment, many teams). @default a fresh in-memory one */
  readonly ledger?: ActionLedger;
}): Promise<VirtualWorld> {
  const clock = options.clock ?? new DiscreteEventClock(VIRTUAL_EPOCH);
  const simulator = createInProcessSimulator({ ...options.simulator, time: clock });
  const limiter = new RateLimiter({ ...options.limiter, clock });
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    clock,
    ledger: options.ledger ?? new InMemoryActionLedger({ now: () => clock.now() }),
    client: { fetch: simulator.fetch, rateLimiter: limiter },
  });
  return { clock, simulator, runtime, limiter };
}
