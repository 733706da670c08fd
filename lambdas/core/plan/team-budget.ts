import type { Policy } from '../policy/policy';
import { DEFAULT_TEAM } from '../policy/team-name';
import { dispatchModeOf } from './dispatch-mode';
import { DIGITALOCEAN_RATE_LIMITS, type RateLimits } from './rate-limits';
import { sendDuration } from './send-duration';
import { tickBudget } from './tick-budget';

/** The reconciler's default share of each team's hourly limit (see `LookBudget`). */
export const RECONCILE_SHARE = 0.1;

/** One team's API budget when all its enabled policies fire on the same tick. */
export interface TeamBudget {
  readonly team: string;
  readonly policies: readonly string[];
  /** Requests that start every action of one tick of all of them. */
  readonly startRequests: number;
  /** Policies whose droplet count is not known (a tag not listed): their requests are not counted. */
  readonly uncounted: readonly string[];
  /** Minutes those requests take at the team's own limits, less the reconciler's share. */
  readonly minutes: number;
  /** Requests an hour left to the reconciler. */
  readonly reconcilePerHour: number;
}

/**
 * The API budget per team per tick. Each team has its own token, so one team's tick never waits
 * for another's: the time is the team's own requests at its own limits, of which starts get all
 * but the reconciler's share.
 */
export function teamBudgets(
  policies: readonly Policy[],
  targetCount: (policy: Policy) => number | undefined,
  limits: RateLimits = DIGITALOCEAN_RATE_LIMITS,
): TeamBudget[] {
  const byTeam = new Map<string, Policy[]>();
  for (const policy of policies.filter((candidate) => candidate.enabled)) {
    const team = policy.team ?? DEFAULT_TEAM;
    byTeam.set(team, [...(byTeam.get(team) ?? []), policy]);
  }
  const startLimits = {
    perMinute: Math.floor(limits.perMinute * (1 - RECONCILE_SHARE)),
    perHour: Math.floor(limits.perHour * (1 - RECONCILE_SHARE)),
  };
  return [...byTeam.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([team, members]) => {
      // A bulk request costs one POST whatever the tag holds.
      const known = (policy: Policy) =>
        targetCount(policy) !== undefined || dispatchModeOf(policy) === 'bulk';
      const counted = members.filter(known);
      const startRequests = counted.reduce(
        (sum, policy) => sum + tickBudget(policy, targetCount(policy) ?? 0).startRequests,
        0,
      );
      return {
        team,
        policies: members.map((policy) => policy.name),
        startRequests,
        uncounted: members.filter((policy) => !known(policy)).map((policy) => policy.name),
        minutes: sendDuration(startRequests, startLimits).minutes,
        reconcilePerHour: Math.floor(limits.perHour * RECONCILE_SHARE),
      };
    });
}
