import type { RunMode } from '../ledger/run-record';
import { skipTagsOf } from '../overrides/skip-tags';
import type { Policy } from '../policy/policy';
import { dispatchModeOf } from './dispatch-mode';

/** `GET /v2/droplets` and `GET /v2/actions` return at most this many items a page. */
export const ITEMS_PER_PAGE = 200;

/** The policy fields the budget depends on. */
export type BudgetPolicy = Pick<
  Policy,
  'name' | 'action' | 'targets' | 'skipWhenAlreadyInState' | 'fallback' | 'retention'
>;

/** DigitalOcean requests one tick of a policy costs, for a given number of target droplets. */
export interface TickBudget {
  readonly mode: RunMode;
  readonly targetCount: number;
  /** `GET /v2/droplets?tag_name=` pages to resolve a tag (per-droplet mode only; bulk needs none). */
  readonly listRequests: number;
  /**
   * `GET /v2/droplets?tag_name=droplet-scheduler-skip[-<policy>]`: one list per skip tag (a page
   * per 200 droplets carrying it, counted here as one), to leave skip-tagged droplets alone. None
   * for a per-droplet tick on a tag: the tag's own list carries every droplet's tags.
   */
  readonly skipListRequests: number;
  /** `GET /v2/droplets/{id}` reads to skip droplets already in the target power state (id targets only: a tag's list already carries the status). */
  readonly stateReads: number;
  /** POSTs that start the actions: 1 in bulk, one per droplet otherwise. */
  readonly initiateRequests: number;
  /** Everything above: the requests that must be sent before the tick has started all its actions. */
  readonly startRequests: number;
  /**
   * For a bulk tick: what it costs instead when a droplet of the tag must be left alone (a skip
   * tag, a snoozed droplet), and it goes one POST per droplet after listing the tag. Undefined
   * for a per-droplet tick.
   */
  readonly splitStartRequests?: number;
  /** `GET /v2/actions?per_page=200` pages the reconciler reads per check of this tick's actions. */
  readonly reconcileReadsPerCheck: number;
  /**
   * Worst case after the start: a `power_off` POST per droplet when a `shutdown` falls back, or a
   * snapshot list read and one deletion per droplet when retention runs.
   */
  readonly followUpRequests: number;
}

/**
 * The requests one tick costs. The counts follow the use cases: `dispatchRun` lists a tag once
 * (per-droplet) or POSTs once by tag (bulk); `initiateAction` POSTs once per droplet and, for id
 * targets that skip droplets already in state, GETs the droplet first.
 */
export function tickBudget(policy: BudgetPolicy, targetCount: number): TickBudget {
  const n = Math.max(0, Math.floor(targetCount));
  const mode = dispatchModeOf(policy);
  const byTag = 'tag' in policy.targets;
  const listRequests = mode === 'per-droplet' && byTag ? Math.max(1, Math.ceil(n / ITEMS_PER_PAGE)) : 0;
  const stateReads = mode === 'per-droplet' && !byTag && policy.skipWhenAlreadyInState ? n : 0;
  const initiateRequests = mode === 'bulk' ? 1 : n;
  const skipListRequests = mode === 'per-droplet' && byTag ? 0 : skipTagsOf(policy.name).length;
  const tagPages = Math.max(1, Math.ceil(n / ITEMS_PER_PAGE));
  const fallback = policy.action.type === 'shutdown' && policy.fallback ? n : 0;
  const retention = policy.action.type === 'snapshot' && policy.retention ? 2 * n : 0;
  return {
    mode,
    targetCount: n,
    listRequests,
    skipListRequests,
    stateReads,
    initiateRequests,
    startRequests: listRequests + skipListRequests + stateReads + initiateRequests,
    splitStartRequests: mode === 'bulk' ? skipListRequests + tagPages + n : undefined,
    reconcileReadsPerCheck: n === 0 ? 0 : Math.ceil(n / ITEMS_PER_PAGE),
    followUpRequests: fallback + retention,
  };
}
