import { setTimeout as sleep } from 'node:timers/promises';
import { DigitalOceanClient } from '../../lambdas/adapters/digitalocean';
import { InMemoryWorkQueue } from '../../lambdas/adapters/in-memory/in-memory-work-queue';
import { InMemoryEventPublisher } from '../../lambdas/adapters/in-memory/in-memory-event-publisher';
import { LOCAL_TIMING } from '../../lambdas/adapters/local/create-local-runtime';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { Policy } from '../../lambdas/core/policy/policy';
import { Timing } from '../../lambdas/core/state/timing';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';

/** How early before its tick the slow dispatcher claims a bulk tick, so that it holds the run. */
const AHEAD_MS = 1_500;

export interface SlowBulkReport {
  /** Bulk ticks this dispatcher claimed first (the schedulers' deliveries then found them held). */
  readonly claimed: number;
  /** Ticks it dispatched that failed (their bulk POST never went out in time), for others to finish. */
  readonly failed: number;
}

/**
 * A dispatcher of bulk ticks whose requests go through the holding proxy: it claims each bulk
 * tick just before the schedulers do, and its POST is then held for longer than the run's lease,
 * the way a rate limiter starved by another client would hold it. The run must be finished by
 * another process, and the held POST must never go out.
 */
export async function runSlowBulkDispatcher(options: {
  readonly ledger: ActionLedger;
  readonly apiUrl: string;
  readonly token: string;
  readonly timeScale: number;
  readonly ticks: readonly { readonly policy: Policy; readonly at: number }[];
  readonly signal: AbortSignal;
}): Promise<SlowBulkReport> {
  const timing = new Timing({ ...LOCAL_TIMING, timeScale: options.timeScale });
  const deps = {
    api: new DigitalOceanClient({
      token: options.token,
      baseUrl: options.apiUrl,
      timeoutMs: timing.clientTimeoutMs,
    }),
    ledger: options.ledger,
    // A bulk dispatch queues nothing; a per-droplet one would, and this dispatcher runs none.
    queue: new InMemoryWorkQueue<InitiateWorkItem>(),
    events: new InMemoryEventPublisher(),
    now: () => new Date(),
    timing,
  };
  let claimed = 0;
  let failed = 0;
  const running: Promise<void>[] = [];
  for (const tick of [...options.ticks].sort((a, b) => a.at - b.at)) {
    const wait = tick.at - AHEAD_MS - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) break;
    running.push(
      dispatchRun(deps, {
        policy: tick.policy,
        scheduledTime: new Date(tick.at).toISOString(),
        executionId: 'chaos-slow',
      })
        .then((outcome) => {
          if (outcome.kind !== 'duplicate') claimed += 1;
        })
        .catch(() => {
          claimed += 1;
          failed += 1;
        }),
    );
  }
  await Promise.all(running);
  return { claimed, failed };
}
