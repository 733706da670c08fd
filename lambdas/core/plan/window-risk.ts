import { nextFireTimes } from '../schedule';
import type { Policy } from '../policy/policy';
import { formatMinutes } from './format-minutes';
import { DIGITALOCEAN_RATE_LIMITS, type RateLimits } from './rate-limits';
import { checkRunWindow, maxTargetsInWindow, runWindowMinutes } from './run-window';
import { tickBudget } from './tick-budget';

/** How many upcoming ticks are looked at to find the shortest gap between two of them. */
export const WINDOW_SAMPLE_TICKS = 20;

/** The policy's run window from `from` on (see `runWindowMinutes`), or undefined when it fires at most once more. */
export function policyRunWindowMinutes(
  policy: Pick<Policy, 'schedule' | 'timezone' | 'startDate' | 'endDate'>,
  from: Date,
): number | undefined {
  return runWindowMinutes(
    nextFireTimes(policy.schedule, {
      timezone: policy.timezone,
      startDate: policy.startDate ? new Date(policy.startDate) : undefined,
      endDate: policy.endDate ? new Date(policy.endDate) : undefined,
      from,
      count: WINDOW_SAMPLE_TICKS,
    }),
  );
}

/** A sentence for `plan` and `validate` when a tick may not start all its actions before the next one. */
export interface WindowRisk {
  /** `over`: the known count does not fit; `unknown`: a tag's count was not resolved, so only the ceiling is known. */
  readonly kind: 'over' | 'unknown';
  readonly message: string;
  /** For `unknown`: the most droplets one tick can start before the next tick. */
  readonly maxTargets?: number;
}

/**
 * Whether one tick's start requests fit before the next tick at the token's rate. With a known
 * target count it answers only when they do not fit, saying by how much; for an unresolved tag
 * in per-droplet mode it says the count is unknown and how many droplets would fit. Bulk ticks
 * (one request) and schedules without a next tick never warn.
 */
export function windowRisk(
  policy: Policy,
  targetCount: number | undefined,
  windowMinutes: number | undefined,
  limits: RateLimits = DIGITALOCEAN_RATE_LIMITS,
): WindowRisk | undefined {
  if (windowMinutes === undefined) return undefined;
  const gap = `the next tick comes ${formatMinutes(windowMinutes)} later`;
  if (targetCount === undefined) {
    const max = maxTargetsInWindow(policy, windowMinutes, limits);
    if (max === Infinity || !('tag' in policy.targets)) return undefined;
    return {
      kind: 'unknown',
      maxTargets: max,
      message: `tag '${policy.targets.tag}' is not resolved offline, so its droplet count is unknown; at ${rates(limits)} one tick can start at most ${max.toLocaleString('en-US')} droplets before ${gap}`,
    };
  }
  const check = checkRunWindow(policy, targetCount, windowMinutes, limits);
  if (check.fits) return undefined;
  const requests = tickBudget(policy, targetCount).startRequests;
  return {
    kind: 'over',
    message: `a tick needs ${requests.toLocaleString('en-US')} requests for ${targetCount.toLocaleString('en-US')} droplets, about ${formatMinutes(check.neededMinutes)} at ${rates(limits)}, but ${gap}: ${formatMinutes(check.overByMinutes)} over`,
  };
}

function rates(limits: RateLimits): string {
  return `${limits.perMinute.toLocaleString('en-US')}/minute and ${limits.perHour.toLocaleString('en-US')}/hour`;
}
