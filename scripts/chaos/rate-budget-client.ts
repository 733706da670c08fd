import { setTimeout as sleep } from 'node:timers/promises';

/** What the second client did. */
export interface RateBudgetClientReport {
  readonly requests: number;
  readonly rateLimited: number;
  readonly failed: number;
}

/**
 * A second client on the same token, as another tool of the same team would be: bounded GETs at
 * `perMinute` until `signal` aborts, spending part of the budget the schedulers share.
 */
export async function runRateBudgetClient(
  url: string,
  token: string,
  perMinute: number,
  signal: AbortSignal,
): Promise<RateBudgetClientReport> {
  let requests = 0;
  let rateLimited = 0;
  let failed = 0;
  const intervalMs = 60_000 / perMinute;
  while (!signal.aborted) {
    const started = Date.now();
    requests += 1;
    try {
      const response = await fetch(`${url}/v2/droplets?per_page=1`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]),
      });
      await response.arrayBuffer();
      if (response.status === 429) rateLimited += 1;
      else if (!response.ok) failed += 1;
    } catch {
      if (!signal.aborted) failed += 1;
    }
    await sleep(Math.max(0, intervalMs - (Date.now() - started)), undefined, { signal }).catch(
      () => undefined,
    );
  }
  return { requests, rateLimited, failed };
}
