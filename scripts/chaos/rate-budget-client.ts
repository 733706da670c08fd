import { setTimeout as sleep } from 'node:timers/promises';

/** What the second client did. */
export interface RateBudgetClientReport {
  readonly requests: number;
  readonly rateLimited: number;
  readonly failed: number;
}

/** How the second client spends the token's budget. */
export interface RateBudgetPace {
  /** GETs a minute, evenly spaced. */
  readonly perMinute: number;
  /**
   * Besides them, `requests` GETs at once every `everyMs`, as a tool listing a whole account
   * would: for a while after each, the token's minute is spent and everyone on it meets 429s.
   * @default none
   */
  readonly burst?: { readonly requests: number; readonly everyMs: number };
}

/** GETs of a burst in flight at once. */
const BURST_CONCURRENCY = 10;

/**
 * A second client on the same token, as another tool of the same team would be: bounded GETs at
 * its pace until `signal` aborts, spending part of the budget the schedulers share.
 */
export async function runRateBudgetClient(
  url: string,
  token: string,
  pace: RateBudgetPace,
  signal: AbortSignal,
): Promise<RateBudgetClientReport> {
  const counts = { requests: 0, rateLimited: 0, failed: 0 };
  const get = async () => {
    counts.requests += 1;
    try {
      const response = await fetch(`${url}/v2/droplets?per_page=1`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer();
      if (response.status === 429) counts.rateLimited += 1;
      else if (!response.ok) counts.failed += 1;
    } catch {
      if (!signal.aborted) counts.failed += 1;
    }
  };
  const bursts = pace.burst ? runBursts(pace.burst, get, signal) : Promise.resolve();
  const intervalMs = 60_000 / pace.perMinute;
  while (!signal.aborted) {
    const started = Date.now();
    await get();
    await sleep(Math.max(0, intervalMs - (Date.now() - started)), undefined, { signal }).catch(
      () => undefined,
    );
  }
  await bursts;
  return counts;
}

async function runBursts(
  burst: NonNullable<RateBudgetPace['burst']>,
  get: () => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    await sleep(burst.everyMs, undefined, { signal }).catch(() => undefined);
    let left = burst.requests;
    const worker = async () => {
      while (left > 0 && !signal.aborted) {
        left -= 1;
        await get();
      }
    };
    await Promise.all(Array.from({ length: BURST_CONCURRENCY }, worker));
  }
}
