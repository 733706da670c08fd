import type { RateLimiter } from '../../lambdas/adapters/digitalocean';
import type { OpenActions } from '../local/open-actions';
import type { ReachabilityWatchdog } from '../api/reachability-watchdog';
import { roughly } from './wait-reporter';

/** What a command that talks to DigitalOcean may be waiting on; each part is optional. */
export interface WaitState {
  readonly watchdog?: ReachabilityWatchdog;
  readonly limiter?: RateLimiter;
  /** The work queue, as far as waits go: when each queued item comes due. */
  readonly queue?: { waiting(): readonly { readonly visibleAt: number }[] };
  /** Why the items on the queue wait, e.g. "droplet busy with another action". */
  readonly retryReasons?: ReadonlySet<string>;
  readonly open?: OpenActions;
  /** When the next reconcile pass looks (epoch ms). */
  readonly nextCheckAt?: number;
  readonly now: number;
}

/**
 * The wait in one phrase, most pressing first: DigitalOcean unreachable, the rate limit, droplets
 * queued for a retry, actions still running on DigitalOcean's side. Undefined when nothing waits.
 */
export function describeWait(state: WaitState): string | undefined {
  const outage = state.watchdog?.outage();
  if (outage)
    return `DigitalOcean does not answer (${outage.cause}); giving up in ${roughly(outage.leftMs)} (--wait-timeout)`;
  const limited = state.limiter?.queued ?? 0;
  if (limited > 0)
    return `waiting for the rate limit: ${limited} request(s) wait for the token's budget, ${roughly(state.limiter!.waitEstimateMs())}`;
  const waiting = state.queue?.waiting().filter((entry) => entry.visibleAt > state.now) ?? [];
  if (waiting.length > 0) {
    const next = Math.min(...waiting.map((entry) => entry.visibleAt));
    const why =
      state.retryReasons && state.retryReasons.size > 0 ? ` (${[...state.retryReasons].join('; ')})` : '';
    return `waiting for ${waiting.length} droplet(s) to retry${why}, the next in ${roughly(next - state.now)}`;
  }
  if (state.open && state.open.count > 0) {
    const types = Object.entries(state.open.byType)
      .map(([type, count]) => `${count} ${type}`)
      .join(', ');
    const next = state.nextCheckAt ?? state.open.nextDueAt;
    return (
      `waiting for ${state.open.count} action(s) in progress on DigitalOcean (${types})` +
      (next === undefined ? '' : `, next check in ${roughly(next - state.now)}`)
    );
  }
  return undefined;
}
