import { dispatchModeOf } from '../plan/dispatch-mode';
import { eachWithConcurrency } from '../concurrency/each-with-concurrency';
import { adoptableActions, CLOCK_SKEW_MS } from '../initiate/find-adoptable-action';
import { actionId, describeItem, runId, type ItemId } from '../ledger/item-id';
import { canonicalTick } from '../ledger/ledger-time';
import type { RunMode, RunRecord } from '../ledger/run-record';
import type { Policy } from '../policy/policy';
import type { Action, BulkDropletAction, Droplet } from '../ports/droplet-api';
import { commit } from '../state/commit';
import type { NewRun } from '../state/new-item';
import { mustLookFirst } from '../state/transitions';
import { firstCheckDelayMs } from '../reconcile/next-check';
import { findLeftAlone, type LeftAlone } from '../overrides/droplets-left-alone';
import { buildWorkItem, stepFields, type KnownTarget } from './build-work-item';
import { workflowOf } from '../workflow/workflow-of';
import { calendarDateIn } from './calendar-date-in';
import { parkedTargets } from '../parking/parked-targets';
import { recordLeftAlone } from './record-left-alone';
import type { UseCaseDependencies } from './use-case-dependencies';

/**
 * How often a failed tick is tried again by the reconciler, and after how long (in DigitalOcean's
 * time: it failed because DigitalOcean could not be reached, or refused). After the last, only a
 * new delivery of the tick (`run` again, the schedule's own retry) tries again.
 */
const RUN_RETRY_DELAYS_MS = [60_000, 5 * 60_000];

/**
 * Pages of `GET /v2/actions` (200 each, newest first) a look after a lost bulk answer reads at
 * most. It stops at the first page older than the run's claim; the account's other actions since
 * (another policy's bulk tick of 800 droplets, say) come before the ones it looks for, so the
 * tag's size alone does not bound what it must read.
 */
const MAX_LOOK_PAGES = 25;

/** Ledger writes in flight at once while recording a bulk request's actions. */
const BULK_WRITE_CONCURRENCY = 8;

export interface DispatchRequest {
  readonly policy: Policy;
  /** `<aws.scheduler.scheduled-time>`: stable across redeliveries, the idempotency key (to the minute). */
  readonly scheduledTime: string;
  /** `<aws.scheduler.execution-id>`: changes on every delivery, so only recorded. */
  readonly executionId?: string;
}

export type DispatchOutcome =
  | { readonly kind: 'skipped'; readonly reason: string }
  /** The tick was already dispatched (or is being dispatched) by another delivery. */
  | { readonly kind: 'duplicate'; readonly status: RunRecord['status'] }
  /** `skipped`: targets left alone (a skip tag, a snoozed droplet), recorded `skipped`, not queued. */
  | { readonly kind: 'queued'; readonly targets: number; readonly skipped?: number }
  | { readonly kind: 'bulk'; readonly started: number };

/**
 * One tick of one policy: claims the run, resolves the targets and starts their actions, either
 * with one bulk POST for a tag (bulk-capable types) or by queueing one work item per droplet for
 * `initiateAction`. Safe to call any number of times for the same tick: the run is a claim like
 * any other, and a tick that failed may be claimed again and resumes where it stopped.
 */
export async function dispatchRun(
  deps: UseCaseDependencies,
  request: DispatchRequest,
): Promise<DispatchOutcome> {
  const { policy } = request;
  const scheduledTime = canonicalTick(request.scheduledTime);
  const id = runId(policy.name, scheduledTime);
  const tag = bulkTag(policy);
  const init: NewRun = {
    kind: 'run',
    policy: policy.name,
    team: policy.team,
    scheduledTime,
    type: policy.action.type,
    mode: tag === undefined ? 'per-droplet' : 'bulk',
    policyDefinition: policy,
  };
  const skipDate = calendarDateIn(scheduledTime, policy.timezone);
  if (policy.skipDates.includes(skipDate)) {
    const reason = `${skipDate} is one of the policy's skipDates (${policy.timezone})`;
    const skipped = await commit(deps, id, { type: 'skip', init, reason }, null);
    return skipped.ok
      ? { kind: 'skipped', reason }
      : { kind: 'duplicate', status: statusOf(skipped.current) };
  }
  const claimed = await commit(deps, id, { type: 'claim', init, executionId: request.executionId }, null);
  if (!claimed.ok) return { kind: 'duplicate', status: statusOf(claimed.current) };
  const run = claimed.item as RunRecord;
  // Whether a bulk request of this tick may have reached DigitalOcean without its actions on record:
  // an earlier attempt's (until a look settles it) or this one's.
  const bulk = { unsettled: tag !== undefined && mustLookFirst(claimed.previous) };
  try {
    const leftAlone = await findLeftAlone(deps, policy, scheduledTime, {
      // A per-droplet tick on a tag lists the tag, and that list carries every droplet's tags.
      listSkipTags: tag !== undefined || !('tag' in policy.targets),
    });
    // A bulk request an earlier attempt may have sent is looked for first, snoozed or not.
    if (leftAlone.tickReason !== undefined && !bulk.unsettled)
      return await skipTick(deps, id, run, leftAlone.tickReason);
    return tag === undefined
      ? await dispatchPerDroplet(deps, policy, run, id, leftAlone)
      : await dispatchBulk(deps, policy, run, id, tag, bulk, leftAlone);
  } catch (error) {
    await fail(deps, id, run, error, bulk.unsettled ? 'unknown' : 'not-sent');
    throw error;
  }
}

function statusOf(run: unknown): RunRecord['status'] {
  return (run as RunRecord | undefined)?.status ?? 'dispatching';
}

/**
 * A dispatch that fails (DigitalOcean unreachable while listing the tag, say) records why on the
 * run and gives it back at once, so that the next delivery of the tick, or the reconciler after
 * a backoff, can finish it. Best effort: the error that made it fail is what the caller sees.
 */
async function fail(
  deps: UseCaseDependencies,
  id: ItemId,
  run: RunRecord,
  error: unknown,
  lastAttempt: 'unknown' | 'not-sent',
): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  const delay = RUN_RETRY_DELAYS_MS[run.attempts - 1];
  const retryAt = delay === undefined ? undefined : deps.timing.afterDo(deps.now(), delay);
  try {
    await commit(deps, id, { type: 'fail', attempts: run.attempts, reason, retryAt, lastAttempt }, run);
  } catch {
    // The ledger is what failed, most likely: the run's lease ends by itself, and the tick is
    // taken over then.
  }
}

/** The tag to start the action on in one request, when `dispatchModeOf` says bulk (plan uses the same rule). */
function bulkTag(policy: Policy): string | undefined {
  return dispatchModeOf(policy) === 'bulk' && 'tag' in policy.targets ? policy.targets.tag : undefined;
}

/** `listed`: the tag's droplets, when a bulk tick that must leave some alone has listed them already. */
async function dispatchPerDroplet(
  deps: UseCaseDependencies,
  policy: Policy,
  run: RunRecord,
  id: ItemId,
  leftAlone: LeftAlone,
  listed?: KnownTarget[],
): Promise<DispatchOutcome> {
  const targets: KnownTarget[] =
    listed ??
    (policy.parking?.role === 'unpark'
      ? await parkedTargets(deps.ledger, policy.parking.parkPolicy)
      : 'tag' in policy.targets
        ? await listTag(deps, policy.targets.tag)
        : policy.targets.dropletIds.map((dropletId) => ({ id: dropletId })));
  if (targets.length === 0) {
    const reason =
      policy.parking?.role === 'unpark'
        ? `no droplet of ${policy.parking.parkPolicy} is parked`
        : `tag '${'tag' in policy.targets ? policy.targets.tag : ''}' matched no droplets`;
    return skipTick(deps, id, run, reason);
  }
  const toAct = await recordLeftAlone(deps, policy, run.scheduledTime, targets, leftAlone);
  // Ids are queued as given: initiate's POST (or its GET) meets a missing droplet and records
  // DigitalOcean's own 404 message, without a dispatch-time GET per droplet. A tick taken over
  // queues everything again: the claims of what was already started answer `duplicate`.
  if (toAct.length > 0)
    await deps.queue.send(toAct.map((target) => buildWorkItem(deps, policy, run.scheduledTime, target)));
  const skipped = targets.length - toAct.length;
  await dispatched(deps, id, run, 'per-droplet', targets.length, {
    queued: toAct.length,
    ...(skipped > 0 ? { skipped } : {}),
  });
  return { kind: 'queued', targets: toAct.length, ...(skipped > 0 ? { skipped } : {}) };
}

async function skipTick(
  deps: UseCaseDependencies,
  id: ItemId,
  run: RunRecord,
  reason: string,
): Promise<DispatchOutcome> {
  await commit(deps, id, { type: 'skip', attempts: run.attempts, reason }, run);
  return { kind: 'skipped', reason };
}

async function dispatched(
  deps: UseCaseDependencies,
  id: ItemId,
  run: RunRecord,
  mode: RunMode,
  targetCount: number,
  counts: RunRecord['counts'] & object,
): Promise<void> {
  await commit(deps, id, { type: 'dispatched', attempts: run.attempts, mode, targetCount, counts }, run);
}

async function listTag(deps: UseCaseDependencies, tag: string): Promise<Droplet[]> {
  const droplets: Droplet[] = [];
  for await (const page of deps.api.listDroplets({ tag })) droplets.push(...page);
  return droplets;
}

/**
 * One POST for every droplet of the tag, sent under the run's claim with its deadline, so that it
 * cannot reach DigitalOcean after the run could be taken over, however long the rate limiter held
 * it. When the run was claimed after an attempt that may have sent it, the tag's actions are looked
 * for first and adopted (each as its owner) instead of sending again.
 */
async function dispatchBulk(
  deps: UseCaseDependencies,
  policy: Policy,
  run: RunRecord,
  id: ItemId,
  tag: string,
  bulk: { unsettled: boolean },
  leftAlone: LeftAlone,
): Promise<DispatchOutcome> {
  const action = policy.action as BulkDropletAction;
  let { found: actions, missed } = bulk.unsettled
    ? await findBulkActions(deps, tag, action.type, policy, run)
    : { found: [], missed: [] };
  if (actions.length === 0) {
    if (leftAlone.tickReason !== undefined) return skipTick(deps, id, run, leftAlone.tickReason);
    // A request on the tag would reach a droplet to leave alone: one request per droplet instead,
    // for the others. The skip-tag lists usually settle it; only a snoozed droplet needs the tag's.
    const touches = leftAlone.touchesTag(tag);
    if (touches !== false) {
      const targets = await listTag(deps, tag);
      if (touches === true || targets.some((target) => leftAlone.reasonFor(target) !== undefined))
        return dispatchPerDroplet(deps, policy, run, id, leftAlone, targets);
    }
    bulk.unsettled = true;
    const started = await deps.api.initiateByTag(tag, action, {
      deadline: deps.timing.sendDeadline(run.leaseUntil as string),
    });
    // Each started action's owner is claimed before any item is written, as an adoption does: a
    // takeover of another tick of this policy that looks while this answer is being recorded finds
    // them owned and leaves them alone. An action another tick's look got to first is that tick's,
    // not recorded here too (an action belongs to exactly one item).
    actions = await ownedActions(deps, policy, run, started);
    missed = started
      .filter((started) => started.resourceId !== null && !actions.includes(started))
      .map((started) => ({ id: started.resourceId as number }));
  }
  const { type: _type, ...params } = action as Record<string, unknown>;
  // One conditional create per droplet, a few at a time: a blind batch write could overwrite an
  // item a reconciler has already moved on.
  await eachWithConcurrency(actions, BULK_WRITE_CONCURRENCY, async (started) => {
    if (started.resourceId === null) return;
    await commit(
      deps,
      actionId(policy.name, run.scheduledTime, started.resourceId),
      {
        type: 'bulk-started',
        init: {
          kind: 'action',
          policy: policy.name,
          team: policy.team,
          scheduledTime: run.scheduledTime,
          dropletId: started.resourceId,
          type: action.type,
          params,
          mode: 'bulk',
          timeoutMinutes: policy.timeoutMinutes,
          workflow: stepFields(workflowOf(policy, { id: started.resourceId }, run.scheduledTime), 0).workflow,
          retention: policy.retention,
        },
        action: {
          actionId: started.id,
          startedAt: started.startedAt,
          region: started.regionSlug ?? undefined,
          dueAt: deps.timing.afterDo(started.startedAt, firstCheckDelayMs(action.type, undefined)),
          timeoutAt: deps.timing.afterDo(started.startedAt, policy.timeoutMinutes * 60_000),
        },
      },
      null,
    );
  });
  // Droplets this tick holds no action on (another tick's look took it, or a look found only some
  // of the tag's) are acted on one by one: each tick acts once on each droplet, whose action
  // started it. A tick that is left alone adopts what it finds and starts nothing more.
  const toQueue =
    leftAlone.tickReason === undefined
      ? missed.filter((target) => leftAlone.reasonFor(target) === undefined)
      : [];
  if (toQueue.length > 0)
    await deps.queue.send(toQueue.map((target) => buildWorkItem(deps, policy, run.scheduledTime, target)));
  await dispatched(deps, id, run, 'bulk', actions.length + toQueue.length, {
    started: actions.length,
    ...(toQueue.length > 0 ? { queued: toQueue.length } : {}),
  });
  return { kind: 'bulk', started: actions.length };
}

/**
 * The actions an earlier attempt's bulk POST may have started: of this type, on droplets of the
 * tag, since the run was first claimed, one per droplet, each written as owned by its item (an
 * action another item owns is left to it). A droplet's candidates are tried oldest first, as
 * `adoptableActions` orders them, so that this tick's earlier attempt comes before a later tick's
 * send. `missed`: the tag's droplets it holds no action on, when it found some. Reads the tag and
 * a bounded number of action pages.
 */
async function findBulkActions(
  deps: UseCaseDependencies,
  tag: string,
  type: Action['type'],
  policy: Policy,
  run: RunRecord,
): Promise<{ found: Action[]; missed: KnownTarget[] }> {
  const droplets = await listTag(deps, tag);
  const wanted = new Set(droplets.map((droplet) => droplet.id));
  const seen: Action[] = [];
  const oldest = Date.parse(run.claimedAt) - CLOCK_SKEW_MS;
  let pages = 0;
  for await (const page of deps.api.listActions()) {
    seen.push(...page);
    pages += 1;
    const last = page[page.length - 1];
    if (last === undefined || Date.parse(last.startedAt) < oldest || pages >= MAX_LOOK_PAGES) break;
  }
  const found = new Map<number, Action>();
  for (const dropletId of wanted) {
    const owner = actionId(policy.name, run.scheduledTime, dropletId);
    const candidates = adoptableActions(seen, { dropletId, type: type as never, claimedAt: run.claimedAt });
    const action = await ownAction(deps, owner, candidates);
    if (action !== undefined) found.set(dropletId, action);
  }
  if (found.size === 0) return { found: [], missed: [] };
  const missed = droplets.filter((droplet) => !found.has(droplet.id));
  return { found: [...found.values()], missed };
}

/** The first of a droplet's candidates whose owner this item is, or can claim. */
async function ownAction(
  deps: UseCaseDependencies,
  owner: ItemId,
  candidates: readonly Action[],
): Promise<Action | undefined> {
  const self = describeItem(owner);
  for (const candidate of candidates) {
    const claimed = await deps.ledger.claimActionOwner({ actionId: candidate.id, owner });
    if (describeItem(claimed.owner) === self) return candidate;
  }
  return undefined;
}

/** The started actions whose owner this tick's items are (see `dispatchBulk`), each claimed first. */
async function ownedActions(
  deps: UseCaseDependencies,
  policy: Policy,
  run: RunRecord,
  started: readonly Action[],
): Promise<Action[]> {
  const owned: Action[] = [];
  await eachWithConcurrency(started, BULK_WRITE_CONCURRENCY, async (action) => {
    if (action.resourceId === null) return;
    const owner = actionId(policy.name, run.scheduledTime, action.resourceId);
    const claimed = await deps.ledger.claimActionOwner({ actionId: action.id, owner });
    if (describeItem(claimed.owner) === describeItem(owner)) owned.push(action);
  });
  return owned;
}
