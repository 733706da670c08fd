import type { RateLimitWindow } from '../../lambdas/adapters/digitalocean/rate-limiter';

/**
 * The least time `requests` requests can take under every sliding window at once, bursts allowed:
 * each request goes out at the earliest instant no window would refuse it. That is the
 * theoretical minimum a pacing ratio divides by; the last request's send time is the makespan.
 */
export function minimumMakespanMs(requests: number, windows: readonly RateLimitWindow[]): number {
  const sentAt = new Float64Array(requests);
  for (let index = 0; index < requests; index += 1) {
    let earliest = 0;
    for (const window of windows) {
      const blocker = index - window.limit;
      if (blocker >= 0) earliest = Math.max(earliest, (sentAt[blocker] ?? 0) + window.lengthMs);
    }
    sentAt[index] = earliest;
  }
  return requests === 0 ? 0 : (sentAt[requests - 1] ?? 0);
}
