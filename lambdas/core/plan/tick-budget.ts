import type { RunMode } from '../ledger/run-record';
import { skipTagsOf } from '../overrides/skip-tags';
import type { Policy, PolicyStep } from '../policy/policy';
import { dispatchModeOf } from './dispatch-mode';

/** `GET /v2/droplets` and `GET /v2/actions` return at most this many items a page. */
export const ITEMS_PER_PAGE = 200;

/**
 * Requests one droplet's parking workflow sends, besides the reconciler's reads of its actions,
 * as DESIGN.md section 4b lays the workflow out. Estimates, not measurements: they assume one
 * attached volume, one reserved IP, one firewall and one project to restore, and two polls until
 * a created droplet is active; a retry adds its own look-ups.
 */
export const PARKING_REQUESTS_PER_DROPLET = {
  park: {
    /** Before anything changes: GET the droplet, then list reserved IPs, firewalls and project resources, to know what it would lose. */
    checks: 4,
    /** POST shutdown. */
    first: 1,
    /** POST snapshot, GET the droplet's snapshots to confirm it is listed, GET the droplet for its recorded spec, POST detach, DELETE the droplet. */
    later: 5,
    /** POST power_off when the shutdown times out. */
    fallback: 1,
  },
  unpark: {
    /** Look the name up: a droplet is never created twice. */
    checks: 1,
    /** POST /v2/droplets from the park snapshot. */
    first: 1,
    /** Two GETs until active, assign the reserved IP, attach the volume, add it to the firewall, assign it to the project, DELETE the park snapshot. */
    later: 7,
    fallback: 0,
  },
} as const;

/** The policy fields the budget depends on. */
export type BudgetPolicy = Pick<
  Policy,
  | 'name'
  | 'action'
  | 'targets'
  | 'skipWhenAlreadyInState'
  | 'fallback'
  | 'retention'
  | 'steps'
  | 'onFailure'
  | 'parking'
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
  /** Reads a parking workflow makes before its first change to each droplet (`PARKING_REQUESTS_PER_DROPLET`); 0 for other policies. */
  readonly checkReads: number;
  /** Requests that start each droplet's first step: 1 in bulk, one per droplet otherwise. */
  readonly initiateRequests: number;
  /** Everything above: the requests that must be sent before the tick has started all its first steps. */
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
   * Requests after each droplet's first step, spread over the workflow's run: one POST per droplet
   * for each later step (always per droplet), or the rest of a parking workflow.
   */
  readonly laterRequests: number;
  /**
   * Worst case on top: a `power_off` POST per droplet for each `shutdown` step with a fallback, an
   * `onFailure` step per droplet, and a snapshot list read and one deletion per droplet when
   * retention runs.
   */
  readonly followUpRequests: number;
}

/**
 * The requests one tick costs. The counts follow the use cases: `dispatchRun` lists a tag once
 * (per-droplet) or POSTs once by tag (bulk); `initiateAction` POSTs once per droplet and, for id
 * targets that skip droplets already in state, GETs the droplet first. Later steps, follow-ups
 * and parking are counted as the workflow engine is designed to send them.
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
  const base = {
    mode,
    targetCount: n,
    listRequests,
    skipListRequests,
    stateReads,
    initiateRequests,
    splitStartRequests: mode === 'bulk' ? skipListRequests + tagPages + n : undefined,
  };
  const reconcileReadsPerCheck = n === 0 ? 0 : Math.ceil(n / ITEMS_PER_PAGE);

  if (policy.parking) {
    const per = PARKING_REQUESTS_PER_DROPLET[policy.parking.role];
    const checkReads = n * per.checks;
    return {
      ...base,
      checkReads,
      startRequests: listRequests + skipListRequests + stateReads + checkReads + initiateRequests,
      reconcileReadsPerCheck,
      laterRequests: n * per.later,
      followUpRequests: n * per.fallback,
    };
  }
  const steps: Pick<PolicyStep, 'action' | 'fallback'>[] = [policy, ...(policy.steps ?? [])];
  const withFallback = [...steps, ...(policy.onFailure ? [policy.onFailure] : [])].filter(
    (step) => step.action.type === 'shutdown' && step.fallback,
  ).length;
  const retention = policy.retention && steps.some((step) => step.action.type === 'snapshot') ? 2 : 0;
  return {
    ...base,
    checkReads: 0,
    startRequests: listRequests + skipListRequests + stateReads + initiateRequests,
    reconcileReadsPerCheck,
    laterRequests: n * (steps.length - 1),
    followUpRequests: n * (withFallback + (policy.onFailure ? 1 : 0) + retention),
  };
}
