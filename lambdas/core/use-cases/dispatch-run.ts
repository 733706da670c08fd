import { catalogEntry } from '../actions/action-catalog';
import { DigitalOceanError } from '../errors/digitalocean-error';
import { LedgerConflictError } from '../errors/ledger-conflict-error';
import { findAdoptableAction } from '../initiate/find-adoptable-action';
import { runKey } from '../ledger/ledger-keys';
import type { RunRecord } from '../ledger/run-record';
import type { Policy } from '../policy/policy';
import type { Action, BulkDropletAction, Droplet } from '../ports/droplet-api';
import { buildWorkItem, type KnownTarget } from './build-work-item';
import { calendarDateIn } from './calendar-date-in';
import { later, type UseCaseDependencies } from './use-case-dependencies';
import { firstCheckDelayMs } from '../reconcile/next-check';

/**
 * How long a claimed run may stay `dispatching` before another delivery of the same tick may take
 * it over. Longer than a dispatch can run (the Lambda's timeout), so that a slow dispatch is never
 * joined by a second one that would repeat its bulk POST.
 */
export const RUN_TAKEOVER_AFTER_MS = 15 * 60_000;

/** A bulk POST whose answer was lost is looked for, then sent again at most this many times in all. */
const BULK_ATTEMPTS = 3;

export interface DispatchRequest {
  readonly policy: Policy;
  /** `<aws.scheduler.scheduled-time>`: stable across redeliveries, the idempotency key. */
  readonly scheduledTime: string;
  /** `<aws.scheduler.execution-id>`: changes on every delivery, so only recorded. */
  readonly executionId?: string;
}

export type DispatchOutcome =
  | { readonly kind: 'skipped'; readonly reason: string }
  /** The tick was already dispatched (or is being dispatched) by another delivery. */
  | { readonly kind: 'duplicate'; readonly status: RunRecord['status'] }
  | { readonly kind: 'queued'; readonly targets: number }
  | { readonly kind: 'bulk'; readonly started: number };

/**
 * One tick of one policy: claims the run, resolves the targets and starts their actions, either
 * with one bulk POST for a tag (bulk-capable types) or by queueing one work item per droplet for
 * `initiateAction`. Safe to call any number of times for the same tick.
 */
export async function dispatchRun(
  deps: UseCaseDependencies,
  request: DispatchRequest,
): Promise<DispatchOutcome> {
  const { policy } = request;
  const scheduledTime = new Date(request.scheduledTime).toISOString();
  const skipDate = calendarDateIn(scheduledTime, policy.timezone);
  const mode = bulkTag(policy) === undefined ? 'per-droplet' : 'bulk';
  if (policy.skipDates.includes(skipDate)) {
    const reason = `${skipDate} is one of the policy's skipDates (${policy.timezone})`;
    const claim = await deps.ledger.claimRun({
      ...runIdentity(request, scheduledTime),
      status: 'skipped',
      reason,
      mode,
    });
    return claim.claimed ? { kind: 'skipped', reason } : { kind: 'duplicate', status: claim.existing.status };
  }
  const now = deps.now();
  const claim = await deps.ledger.claimRun({
    ...runIdentity(request, scheduledTime),
    mode,
    // Until this passes, the run is this dispatch's; after it, the reconciler finishes it.
    dueAt: later(deps, now, RUN_TAKEOVER_AFTER_MS),
    policyDefinition: policy,
  });
  const run = claim.claimed ? claim.record : await takeOver(deps, claim.existing, now);
  if (run === undefined)
    return { kind: 'duplicate', status: claim.claimed ? 'dispatching' : claim.existing.status };
  const tag = bulkTag(policy);
  try {
    return tag === undefined
      ? await dispatchPerDroplet(deps, policy, scheduledTime)
      : await dispatchBulk(deps, policy, scheduledTime, tag, run, !claim.claimed);
  } catch (error) {
    await release(deps, run);
    throw error;
  }
}

/**
 * A dispatch that fails (DigitalOcean unreachable while listing the tag, say) hands its run back
 * at once instead of holding it until the deadline, so that the next delivery of the tick, or the
 * reconciler, can finish it. Best effort: whoever else holds the run keeps it.
 */
async function release(deps: UseCaseDependencies, run: RunRecord): Promise<void> {
  try {
    await deps.ledger.updateRun(
      run,
      { dueAt: deps.now().toISOString() },
      { expectedStatus: 'dispatching', expectedDueAt: run.dueAt },
    );
  } catch (error) {
    if (!(error instanceof LedgerConflictError)) throw error;
  }
}

/**
 * A run still `dispatching` past its deadline was abandoned by a dispatch that crashed. Exactly
 * one caller takes it over, by moving the deadline on under a condition on the old one; everyone
 * else treats the tick as a duplicate.
 */
async function takeOver(
  deps: UseCaseDependencies,
  run: RunRecord,
  now: Date,
): Promise<RunRecord | undefined> {
  const deadline = run.dueAt ?? later(deps, run.updatedAt, RUN_TAKEOVER_AFTER_MS);
  if (run.status !== 'dispatching' || Date.parse(deadline) > now.getTime()) return undefined;
  try {
    return await deps.ledger.updateRun(
      run,
      { dueAt: later(deps, now, RUN_TAKEOVER_AFTER_MS) },
      { expectedStatus: 'dispatching', expectedDueAt: run.dueAt },
    );
  } catch (error) {
    if (error instanceof LedgerConflictError) return undefined;
    throw error;
  }
}

function runIdentity(request: DispatchRequest, scheduledTime: string) {
  return {
    policy: request.policy.name,
    scheduledTime,
    type: request.policy.action.type,
    executionId: request.executionId,
  };
}

/**
 * The tag to start the action on in one request, when the type allows it. Snapshots are the
 * exception: a bulk request gives every snapshot the same name, and retention finds a policy's
 * own snapshots of a droplet by name, so snapshots go one droplet at a time.
 */
function bulkTag(policy: Policy): string | undefined {
  const type = policy.action.type;
  return 'tag' in policy.targets && catalogEntry(type).bulkByTag && type !== 'snapshot'
    ? policy.targets.tag
    : undefined;
}

async function dispatchPerDroplet(
  deps: UseCaseDependencies,
  policy: Policy,
  scheduledTime: string,
): Promise<DispatchOutcome> {
  const key = runKey(policy.name, scheduledTime);
  const targets: KnownTarget[] =
    'tag' in policy.targets
      ? await listTag(deps, policy.targets.tag)
      : policy.targets.dropletIds.map((id) => ({ id }));
  if (targets.length === 0) {
    const reason = `tag '${'tag' in policy.targets ? policy.targets.tag : ''}' matched no droplets`;
    await deps.ledger.updateRun(key, { status: 'skipped', targetCount: 0, reason });
    return { kind: 'skipped', reason };
  }
  // Ids are queued as given: initiate's POST (or its GET) meets a missing droplet and records
  // DigitalOcean's own 404 message, without a dispatch-time GET per droplet.
  await deps.queue.send(targets.map((target) => buildWorkItem(deps, policy, scheduledTime, target)));
  await deps.ledger.updateRun(key, {
    status: 'dispatched',
    mode: 'per-droplet',
    targetCount: targets.length,
    counts: { queued: targets.length },
  });
  return { kind: 'queued', targets: targets.length };
}

async function listTag(deps: UseCaseDependencies, tag: string): Promise<Droplet[]> {
  const droplets: Droplet[] = [];
  for await (const page of deps.api.listDroplets({ tag })) droplets.push(...page);
  return droplets;
}

/**
 * One POST for every droplet of the tag. A lost answer (5xx, dropped connection) may still have
 * started the actions, so before sending again it looks for them among the account's newest
 * actions, and adopts what it finds.
 */
async function dispatchBulk(
  deps: UseCaseDependencies,
  policy: Policy,
  scheduledTime: string,
  tag: string,
  run: RunRecord,
  takeover: boolean,
): Promise<DispatchOutcome> {
  const action = policy.action as BulkDropletAction;
  // A takeover looks first: the abandoned dispatch may have sent the POST before it died.
  let actions: readonly Action[] | undefined = takeover
    ? await findBulkActions(deps, tag, action.type, run.claimedAt)
    : undefined;
  for (
    let attempt = 1;
    (actions === undefined || actions.length === 0) && attempt <= BULK_ATTEMPTS;
    attempt += 1
  ) {
    try {
      actions = await deps.api.initiateByTag(tag, action);
    } catch (error) {
      if (!(error instanceof DigitalOceanError) || !error.outcomeUnknown)
        throw await failRun(deps, policy, scheduledTime, error);
      actions = await findBulkActions(deps, tag, action.type, run.claimedAt);
    }
  }
  if (!actions || actions.length === 0) {
    const reason = `expected DigitalOcean to start ${action.type} on tag '${tag}', got: no actions after ${BULK_ATTEMPTS} attempts`;
    await deps.ledger.updateRun(runKey(policy.name, scheduledTime), { status: 'failed', reason });
    return { kind: 'skipped', reason };
  }
  const now = deps.now();
  await deps.ledger.recordBulkActions({
    policy: policy.name,
    scheduledTime,
    type: action.type,
    params: paramsOf(action),
    dueAt: later(deps, now, firstCheckDelayMs(action.type, undefined)),
    timeoutAt: later(deps, now, policy.timeoutMinutes * 60_000),
    timeoutMinutes: policy.timeoutMinutes,
    fallback: policy.fallback,
    retention: policy.retention,
    actions: actions.flatMap((started) =>
      started.resourceId === null
        ? []
        : [
            {
              dropletId: started.resourceId,
              actionId: started.id,
              startedAt: started.startedAt,
              region: started.regionSlug ?? undefined,
            },
          ],
    ),
  });
  await deps.ledger.updateRun(runKey(policy.name, scheduledTime), {
    status: 'dispatched',
    mode: 'bulk',
    targetCount: actions.length,
    counts: { started: actions.length },
  });
  return { kind: 'bulk', started: actions.length };
}

async function failRun(
  deps: UseCaseDependencies,
  policy: Policy,
  scheduledTime: string,
  error: unknown,
): Promise<unknown> {
  const reason = error instanceof Error ? error.message : String(error);
  await deps.ledger.updateRun(runKey(policy.name, scheduledTime), { status: 'failed', reason });
  return error;
}

/**
 * The actions a lost bulk POST may have started: of this type, on droplets of the tag, started
 * since the run was claimed, one per droplet. Reads the tag and a bounded number of action pages.
 */
async function findBulkActions(
  deps: UseCaseDependencies,
  tag: string,
  type: Action['type'],
  since: string,
): Promise<Action[]> {
  const droplets = await listTag(deps, tag);
  const wanted = new Set(droplets.map((droplet) => droplet.id));
  const found = new Map<number, Action>();
  const maxPages = Math.ceil(wanted.size / 200) + 2;
  let pages = 0;
  for await (const page of deps.api.listActions()) {
    for (const action of page) {
      if (action.resourceId === null || !wanted.has(action.resourceId) || found.has(action.resourceId))
        continue;
      const match = findAdoptableAction([action], {
        dropletId: action.resourceId,
        type: type as never,
        attemptedAt: since,
      });
      if (match) found.set(action.resourceId, match);
    }
    pages += 1;
    if (found.size === wanted.size || pages >= maxPages) break;
  }
  return [...found.values()];
}

function paramsOf(action: { type: string }): Record<string, unknown> | undefined {
  const { type: _type, ...params } = action as Record<string, unknown>;
  return Object.keys(params).length > 0 ? params : undefined;
}
