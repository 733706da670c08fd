import { powerStateAfter } from '../../lambdas/core/actions/action-catalog';
import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import { NotFoundError } from '../../lambdas/core/errors/not-found-error';
import { dispatchModeOf, sendDuration } from '../../lambdas/core/plan';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { Droplet, DropletApi } from '../../lambdas/core/ports/droplet-api';
import { actionFor } from '../../lambdas/core/use-cases/build-work-item';
import { calendarDateIn } from '../../lambdas/core/use-cases/calendar-date-in';

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
  /** Set when the tick falls on a skip date: nothing would be sent. */
  readonly skipReason?: string;
  /** Droplets the targets resolved to. */
  readonly targets: readonly { readonly id: number; readonly name?: string; readonly status?: string }[];
  /** Droplets that would be recorded `skipped` (already in the state the action leads to) or are missing. */
  readonly skipped: readonly { readonly dropletId: number; readonly reason: string }[];
  readonly requests: readonly PlannedRequest[];
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
 * in the state the action leads to.
 */
export async function planDryRun(api: DropletApi, policy: Policy, scheduledTime: Date): Promise<DryRunPlan> {
  const tick = scheduledTime.toISOString();
  const tag = 'tag' in policy.targets ? policy.targets.tag : undefined;
  // The rule `plan` uses, so that a parking policy goes per droplet here too.
  const bulk = tag !== undefined && dispatchModeOf(policy) === 'bulk';
  const mode = bulk ? 'bulk' : 'per-droplet';
  const day = calendarDateIn(tick, policy.timezone);
  if (policy.skipDates.includes(day)) {
    const skipReason = `${day} is one of the policy's skipDates (${policy.timezone})`;
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
  const target = powerStateAfter(policy.action.type);
  const requests: PlannedRequest[] = [];
  if (bulk && found.length > 0) {
    requests.push({
      method: 'POST',
      path: `/v2/droplets/actions?tag_name=${encodeURIComponent(tag)}`,
      body: policy.action,
    });
  } else if (!bulk) {
    for (const droplet of found) {
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
    mode,
    targets: found.map((droplet) => ({ id: droplet.id, name: droplet.name, status: droplet.status })),
    skipped,
    requests,
    budget: { reads, writes, minutes },
  };
}
