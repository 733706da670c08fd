import { DigitalOceanError } from '../errors/digitalocean-error';
import { PendingEventError } from '../errors/pending-event-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { newerActionOnDroplet } from '../initiate/newer-action-on-droplet';
import type { ActionRecord } from '../ledger/action-record';
import { actionId } from '../ledger/item-id';
import { commit } from '../state/commit';
import type { NewAction } from '../state/new-item';
import type { LedgerEvent } from '../state/transitions';
import type { InitiateOutcome } from '../use-cases/initiate-action';
import type { InitiateWorkItem } from '../use-cases/initiate-work-item';
import { runEffects } from '../use-cases/run-effects';
import type { UseCaseDependencies } from '../use-cases/use-case-dependencies';
import type { OperationType } from '../workflow/workflow';
import type { Operation, OperationContext, OperationResult } from './operation';
import { confirmSnapshot } from './confirm-snapshot';
import { createFromSnapshot } from './create-from-snapshot';
import { deleteParkSnapshots } from './delete-park-snapshots';
import { destroyParked } from './destroy-parked';
import { detachVolumes } from './detach-volumes';
import { inspectForPark } from './inspect-for-park';
import { restoreDroplet } from './restore-droplet';

const OPERATIONS: Record<OperationType, Operation> = {
  inspect: inspectForPark,
  'confirm-snapshot': confirmSnapshot,
  'detach-volumes': detachVolumes,
  destroy: destroyParked,
  create: createFromSnapshot,
  // Waiting until the created droplet is active is part of `create`; kept for workflows that name it.
  'wait-active': createFromSnapshot,
  restore: restoreDroplet,
  'delete-snapshot': deleteParkSnapshots,
};

/**
 * The steps whose request cannot be taken back. An attempt of one may have sent it and lost the
 * answer, or died before recording it: given up blind, a droplet destroyed would stay `parking`
 * in its lineage for good (no unpark takes it), and one created would run with no restore and its
 * snapshot kept. So past its time such a step runs `settleOnly`: it records what is done, sends
 * nothing, and is given up once it has found its request not done. Until one attempt has looked
 * (DigitalOcean down, every lease running out), it stays open: a time limit here would be a blind
 * give-up again, and a settling attempt costs a few reads.
 */
const SETTLED_WHEN_LATE: ReadonlySet<OperationType> = new Set<OperationType>([
  'destroy',
  'create',
  'wait-active',
  'delete-snapshot',
]);

/** Whether a step is past its time and the protocol's own recovery. */
function late(held: ActionRecord, deps: UseCaseDependencies): boolean {
  return (
    held.timeoutAt !== undefined &&
    deps.now().getTime() >= Date.parse(held.timeoutAt) + deps.timing.recoveryGraceMs
  );
}

/** A work item of a parking operation. */
type OperationWork = InitiateWorkItem & { readonly operation: NonNullable<InitiateWorkItem['operation']> };

/**
 * Runs one parking step exactly as the state machine allows: claims the step's item (a lease, as
 * for an action), runs the operation under the claim, and records what it came to. An operation
 * that must wait for DigitalOcean gives its claim back until its next look, and the work item is
 * queued again for then (the reconciler finds the item should the message be lost). Every request
 * carries the claim's deadline, so none of an ended claim reaches DigitalOcean.
 */
export async function startOperation(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
): Promise<InitiateOutcome> {
  const work = item as OperationWork;
  const type = work.operation.type;
  const id = actionId(work.policy, work.scheduledTime, work.dropletId, work.step);
  const newer =
    work.parentStartedAt === undefined
      ? undefined
      : await newerActionOnDroplet(deps.ledger, { ...work, type, parentStartedAt: work.parentStartedAt });
  const claimed = await commit(deps, id, { type: 'claim', init: describe(work), newer }, null);
  if (!claimed.ok) return { kind: 'duplicate' };
  const held = claimed.item as ActionRecord;
  if (held.status === 'skipped') {
    await runEffects(deps, held);
    return { kind: 'skipped', reason: held.reason ?? 'skipped' };
  }
  const settleOnly = late(held, deps) && SETTLED_WHEN_LATE.has(type);
  if (late(held, deps) && !settleOnly) {
    // Every attempt so far ended without an answer (a crash, a ledger or network failure): past
    // its time and the protocol's own recovery, the step is given up rather than tried forever.
    const message = `expected ${type} to finish by ${held.timeoutAt}, got: no attempt of it finished (${held.attempts - 1} tried)`;
    const gaveUp = await commit(
      deps,
      id,
      { type: 'give-up', attempts: held.attempts, error: { code: 'timed_out', message } },
      held,
    );
    if (!gaveUp.ok) return { kind: 'duplicate' };
    await runEffects(deps, gaveUp.item);
    return { kind: 'timed-out', message };
  }
  const context: OperationContext = {
    deps,
    work,
    type,
    params: work.operation.params ?? {},
    id,
    held,
    request: { deadline: deps.timing.sendDeadline(held.leaseUntil as string), urgent: true },
    settleOnly,
  };
  let result: OperationResult;
  try {
    result = await OPERATIONS[type](context);
  } catch (error) {
    result = resultOfError(deps, error);
  }
  return record(context, result);
}

/** A request that failed: DigitalOcean refused it for good, or it may work if tried again later. */
function resultOfError(deps: UseCaseDependencies, error: unknown): OperationResult {
  if (!(error instanceof DigitalOceanError)) throw error;
  if (error instanceof PendingEventError) {
    return { kind: 'wait', reason: 'the droplet is busy with another action', afterMs: 30_000 };
  }
  if (error instanceof RateLimitedError || error.status === 0 || error.status >= 500) {
    const afterMs =
      error instanceof RateLimitedError && error.retryAfterSeconds
        ? error.retryAfterSeconds * 1000 * deps.timing.timeScale
        : 30_000;
    return {
      kind: 'wait',
      reason: `DigitalOcean: ${error.message}`,
      afterMs,
      uncertain: error.outcomeUnknown,
    };
  }
  return {
    kind: 'fail',
    error: { code: error.id ?? error.code, message: error.apiMessage, requestId: error.requestId },
  };
}

async function record(context: OperationContext, result: OperationResult): Promise<InitiateOutcome> {
  const { deps, id, held, work } = context;
  const now = deps.now().getTime();
  if (result.kind === 'wait') {
    // The protocol's own recovery (a lease, an adoption delay) does not count against the step. A
    // step whose request cannot be taken back looks again, settling only: an attempt that could
    // not look (a read failed, its lease ran out) proves nothing.
    if (late(held, deps) && !SETTLED_WHEN_LATE.has(context.type)) {
      const message = `expected ${context.type} to finish by ${held.timeoutAt}, got: still ${result.reason}`;
      const event: LedgerEvent = {
        type: 'give-up',
        attempts: held.attempts,
        error: { code: 'timed_out', message },
      };
      return finish(context, await commit(deps, id, event, held), { kind: 'timed-out', message });
    }
    // After a lost answer, never sooner than that request could still land (`sendMarginMs`: transit
    // and skew) and show in a listing: the next run, a settling one above all, reads what is done.
    const floor = result.uncertain ? Math.max(deps.timing.adoptAfterMs, deps.timing.sendMarginMs) : 0;
    const retryAt = now + Math.max(deps.timing.scaled(result.afterMs), floor);
    const released = await commit(
      deps,
      id,
      {
        type: 'release',
        attempts: held.attempts,
        retryAt: new Date(retryAt).toISOString(),
        lastAttempt: 'unknown',
      },
      held,
    );
    if (!released.ok) return { kind: 'duplicate' };
    // Not before the claim given back can be taken again: its lease ends at `retryAt`, for every clock.
    const delaySeconds = Math.max(1, Math.ceil((retryAt + deps.timing.clockSkewMs + 1 - now) / 1000));
    await deps.queue.send([work], { delaySeconds: Math.min(delaySeconds, 900) });
    return { kind: 'retrying', delaySeconds, reason: result.reason };
  }
  if (result.kind === 'done') {
    const event: LedgerEvent = { type: 'done', attempts: held.attempts, result: result.result };
    return finish(context, await commit(deps, id, event, held), { kind: 'done', result: result.result });
  }
  if (result.kind === 'given-up') {
    const message = `expected ${context.type} to finish by ${held.timeoutAt}, got: ${result.reason}`;
    const event: LedgerEvent = {
      type: 'give-up',
      attempts: held.attempts,
      error: { code: 'timed_out', message },
    };
    return finish(context, await commit(deps, id, event, held), { kind: 'timed-out', message });
  }
  if (result.kind === 'skip') {
    const event: LedgerEvent = { type: 'skip', attempts: held.attempts, reason: result.reason, stop: true };
    return finish(context, await commit(deps, id, event, held), { kind: 'skipped', reason: result.reason });
  }
  const event: LedgerEvent = { type: 'reject', attempts: held.attempts, error: result.error };
  return finish(context, await commit(deps, id, event, held), {
    kind: 'rejected',
    message: result.error.message,
  });
}

async function finish(
  context: OperationContext,
  committed: Awaited<ReturnType<typeof commit>>,
  outcome: InitiateOutcome,
): Promise<InitiateOutcome> {
  if (!committed.ok) return { kind: 'duplicate' };
  await runEffects(context.deps, committed.item);
  return outcome;
}

function describe(work: OperationWork): NewAction {
  return {
    kind: 'action',
    policy: work.policy,
    scheduledTime: work.scheduledTime,
    dropletId: work.dropletId,
    step: work.step,
    dropletName: work.dropletName,
    region: work.region,
    type: work.operation.type,
    params: work.operation.params,
    mode: 'per-droplet',
    diskGb: work.diskGb,
    timeoutMinutes: work.timeoutMinutes,
    timeoutAt: work.retryUntil,
    workflow: work.workflow,
    parentActionId: work.parentActionId,
  };
}
