import { powerStateAfter } from '../../lambdas/core/actions/action-catalog';
import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import { NotFoundError } from '../../lambdas/core/errors/not-found-error';
import { dispatchModeOf, sendDuration } from '../../lambdas/core/plan';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { Droplet, DropletApi } from '../../lambdas/core/ports/droplet-api';
import { actionFor } from '../../lambdas/core/use-cases/build-work-item';
import { calendarDateIn } from '../../lambdas/core/use-cases/calendar-date-in';
import { findLeftAlone, type OverrideQuery } from '../../lambdas/core/overrides/droplets-left-alone';
import { leftRunningReason, parkCandidates } from '../../lambdas/core/parking/park-candidates';

/** A store not made yet: it holds no snoozes. */
const NO_SNOOZES: OverrideQuery = { queryOverrides: async () => ({ items: [] }) };

/** Requests per sliding minute and per sliding hour that DigitalOcean allows one token. */
/** One request `run` would send. */
export interface PlannedRequest {
  readonly method: 'POST';
  readonly path: string;
  readonly body: DropletAction;
  /** The droplet, for a per-droplet request. */
  readonly dropletId?: number;
  readonly dropletName?: string;
}

/** What `run --dry-run` found out with GETs alone, and what the real run would send. */
export interface DryRunPlan {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly mode: 'bulk' | 'per-droplet';
  /** Set when the tick falls on a skip date, or a snooze of the policy covers it: nothing would be sent. */
  readonly skipReason?: string;
  /** Droplets the targets resolved to. */
  readonly targets: readonly { readonly id: number; readonly name?: string; readonly status?: string }[];
  /**
   * Droplets that would be recorded `skipped` (already in the state the action leads to, or a park
   * that would lose what its policy keeps) or are missing.
   */
  readonly skipped: readonly { readonly dropletId: number; readonly reason: string }[];
  readonly requests: readonly PlannedRequest[];
  /** What follows the requests listed, per droplet, when the policy runs more than one step. */
  readonly then?: string;
  readonly budget: {
    /** GETs spent resolving targets (already spent by the dry run). */
    readonly reads: number;
    /** Requests the real run would send to start the actions. */
    readonly writes: number;
    /** Minutes the writes take at 250 a minute within the 5,000-an-hour window (`sendDuration`, as `plan` says). */
    readonly minutes: number;
  };
}

/**
 * Resolves a policy's targets with GETs only and works out every request the run would send, the
 * way `dispatchRun` and `initiateAction` would: one bulk POST for a tag when the type allows it
 * (snapshots excepted: each needs its own name), else one POST per droplet, minus droplets already
 * in the state the action leads to, and minus droplets a skip tag or a snooze leaves alone.
 * `ledger`: where snoozes are kept; without one (no store yet) there are none, and only skip tags
 * leave a droplet alone.
 */
export async function planDryRun(
  api: DropletApi,
  policy: Policy,
  scheduledTime: Date,
  ledger: OverrideQuery = NO_SNOOZES,
): Promise<DryRunPlan> {
  const tick = scheduledTime.toISOString();
  const tag = 'tag' in policy.targets ? policy.targets.tag : undefined;
  // The rule `plan` uses, so that a parking policy goes per droplet here too.
  const bulk = tag !== undefined && dispatchModeOf(policy) === 'bulk';
  const mode = bulk ? 'bulk' : 'per-droplet';
  const day = calendarDateIn(tick, policy.timezone);
  // Dispatch's own lookup of snoozes; the skip tags come from the droplets the dry run lists anyway.
  const leftAlone = await findLeftAlone({ api, ledger }, policy, tick, { listSkipTags: false });
  const skipReason = policy.skipDates.includes(day)
    ? `${day} is one of the policy's skipDates (${policy.timezone})`
    : leftAlone.tickReason;
  if (skipReason !== undefined) {
    return {
      policy: policy.name,
      scheduledTime: tick,
      mode,
      skipReason,
      targets: [],
      skipped: [],
      requests: [],
      budget: { reads: 0, writes: 0, minutes: 0 },
    };
  }
  let reads = 0;
  const skipped: { dropletId: number; reason: string }[] = [];
  const found: Droplet[] = [];
  if (tag !== undefined) {
    for await (const page of api.listDroplets({ tag })) {
      reads += 1;
      found.push(...page);
    }
  } else if ('dropletIds' in policy.targets) {
    for (const id of policy.targets.dropletIds) {
      reads += 1;
      try {
        found.push(await api.getDroplet(id));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        skipped.push({ dropletId: id, reason: `not found: ${error.apiMessage}` });
      }
    }
  }
  // A droplet left alone (skip tag or snooze) would be reached by a bulk request: the run goes per droplet.
  const tagged: Droplet[] = [];
  for (const droplet of found) {
    const reason = leftAlone.reasonFor(droplet);
    if (reason === undefined) continue;
    tagged.push(droplet);
    skipped.push({ dropletId: droplet.id, reason });
  }
  if (policy.parking !== undefined) {
    const untagged = found.filter((droplet) => !tagged.includes(droplet));
    return parkingDryRun(api, policy, tick, found, untagged, skipped, reads);
  }
  const target = powerStateAfter(policy.action.type);
  const requests: PlannedRequest[] = [];
  const perDroplet = !bulk || tagged.length > 0;
  if (!perDroplet && found.length > 0) {
    requests.push({
      method: 'POST',
      path: `/v2/droplets/actions?tag_name=${encodeURIComponent(tag)}`,
      body: policy.action,
    });
  } else if (perDroplet) {
    for (const droplet of found) {
      if (tagged.includes(droplet)) continue;
      if (policy.skipWhenAlreadyInState && target !== undefined && droplet.status === target) {
        skipped.push({ dropletId: droplet.id, reason: `droplet already ${droplet.status}` });
        continue;
      }
      requests.push({
        method: 'POST',
        path: `/v2/droplets/${droplet.id}/actions`,
        body: actionFor(policy, tick, droplet) ?? policy.action,
        dropletId: droplet.id,
        dropletName: droplet.name,
      });
    }
  }
  const writes = requests.length;
  // The same figure `plan` gives: both windows, from a fresh budget.
  const { minutes } = sendDuration(writes);
  return {
    policy: policy.name,
    scheduledTime: tick,
    mode: perDroplet ? 'per-droplet' : 'bulk',
    targets: found.map((droplet) => ({ id: droplet.id, name: droplet.name, status: droplet.status })),
    skipped,
    requests,
    budget: { reads, writes, minutes },
  };
}

/**
 * A park tick: the droplets its inspect step would leave running (what they would lose), and the
 * first request for each of the others; an unpark tick's targets are the droplets its park policy
 * parked, which only the ledger knows, so the dry run says so instead of guessing.
 */
async function parkingDryRun(
  api: DropletApi,
  policy: Policy,
  tick: string,
  found: readonly Droplet[],
  /** The droplets found less those a skip tag or a snooze leaves alone (already in `skipped`). */
  toPark: readonly Droplet[],
  skipped: { dropletId: number; reason: string }[],
  targetReads: number,
): Promise<DryRunPlan> {
  const base = { policy: policy.name, scheduledTime: tick, mode: 'per-droplet' as const };
  if (policy.parking?.role === 'unpark') {
    return {
      ...base,
      targets: [],
      skipped: [],
      requests: [],
      then: `the droplets ${policy.parking.parkPolicy} parked, read from the ledger when the tick runs: POST /v2/droplets from each park snapshot, then reserved IP, volumes, firewalls and project, then DELETE the park snapshot`,
      budget: { reads: targetReads, writes: 0, minutes: 0 },
    };
  }
  const { candidates, reads } = await parkCandidates(api, policy, toPark);
  const requests: PlannedRequest[] = [];
  for (const { droplet, losses } of candidates) {
    if (losses.length > 0) {
      skipped.push({ dropletId: droplet.id, reason: leftRunningReason(losses) });
      continue;
    }
    requests.push({
      method: 'POST',
      path: `/v2/droplets/${droplet.id}/actions`,
      body: { type: 'shutdown' },
      dropletId: droplet.id,
      dropletName: droplet.name,
    });
  }
  return {
    ...base,
    targets: found.map((droplet) => ({ id: droplet.id, name: droplet.name, status: droplet.status })),
    skipped,
    requests,
    then: 'power_off if still running, snapshot, confirm it is listed with a size, record the droplet, detach volumes, DELETE /v2/droplets/{id}',
    budget: {
      reads: targetReads + reads,
      writes: requests.length,
      minutes: sendDuration(requests.length).minutes,
    },
  };
}
