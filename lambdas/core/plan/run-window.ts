import { DIGITALOCEAN_RATE_LIMITS, type RateLimits } from './rate-limits';
import { sendDuration } from './send-duration';
import { tickBudget, type BudgetPolicy } from './tick-budget';

/**
 * The time a tick has to start its actions: until the policy's next tick, the shortest gap
 * between consecutive fire times given. A run that is still starting actions when the next tick
 * fires queues that tick behind it on the same token budget, and the delays add up. Undefined
 * with fewer than two fire times (an `at()` schedule has no next tick).
 */
export function runWindowMinutes(fireTimes: readonly Date[]): number | undefined {
  let shortest: number | undefined;
  for (let i = 1; i < fireTimes.length; i += 1) {
    const gap = (fireTimes[i]!.getTime() - fireTimes[i - 1]!.getTime()) / 60_000;
    if (shortest === undefined || gap < shortest) shortest = gap;
  }
  return shortest;
}

/** Whether a tick's start requests fit in its window at the token's rate, and by how much they miss. */
export interface WindowCheck {
  readonly fits: boolean;
  readonly neededMinutes: number;
  readonly windowMinutes: number;
  /** `neededMinutes - windowMinutes` when it does not fit, else 0. */
  readonly overByMinutes: number;
}

export function checkRunWindow(
  policy: BudgetPolicy,
  targetCount: number,
  windowMinutes: number,
  limits: RateLimits = DIGITALOCEAN_RATE_LIMITS,
): WindowCheck {
  const neededMinutes = sendDuration(tickBudget(policy, targetCount).startRequests, limits).minutes;
  const fits = neededMinutes <= windowMinutes;
  return { fits, neededMinutes, windowMinutes, overByMinutes: fits ? 0 : neededMinutes - windowMinutes };
}

/** The most droplets one tick can start inside the window (Infinity for a bulk policy: one request starts any number). */
export function maxTargetsInWindow(
  policy: BudgetPolicy,
  windowMinutes: number,
  limits: RateLimits = DIGITALOCEAN_RATE_LIMITS,
): number {
  if (tickBudget(policy, 1_000_000).startRequests === tickBudget(policy, 1).startRequests) return Infinity;
  const fits = (n: number) => checkRunWindow(policy, n, windowMinutes, limits).fits;
  if (!fits(0)) return 0;
  let low = 0;
  let high = 1;
  while (fits(high) && high < 1e9) high *= 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle;
  }
  return low;
}
