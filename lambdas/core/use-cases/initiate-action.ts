import { powerStateAfter } from '../actions/action-catalog';
import type { DropletAction } from '../actions/droplet-action';
import { DigitalOceanError } from '../errors/digitalocean-error';
import { LedgerConflictError } from '../errors/ledger-conflict-error';
import { NotFoundError } from '../errors/not-found-error';
import { PendingEventError } from '../errors/pending-event-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { actionIdsOwnedElsewhere } from '../initiate/action-ids-owned-elsewhere';
import { findAdoptableAction } from '../initiate/find-adoptable-action';
import type { ActionRecord } from '../ledger/action-record';
import { actionKey, followUpKey } from '../ledger/ledger-keys';
import type { LedgerKey } from '../ledger/ledger-record-base';
import type { ActionDescription } from '../ports/action-ledger';
import { firstCheckDelayMs } from '../reconcile/next-check';
import { later, type UseCaseDependencies } from './use-case-dependencies';
import type { InitiateWorkItem } from './initiate-work-item';
import { actionEventFor } from './action-events';

/**
 * How long a `pending` claim may wait for its POST's answer to be recorded before the reconciler
 * treats it as abandoned (a crash between the POST and the write) and resolves it.
 */
export const CLAIM_GRACE_MS = 2 * 60_000;

/**
 * Real time after its `sendingAt` within which a POST may go out without re-stamping its claim.
 * With the client's 30-s attempt timeout, every POST is over within 40 s of its claim's
 * `sendingAt`, inside the reconciler's `POST_IN_FLIGHT_MS` of 45 s.
 */
export const FRESH_ATTEMPT_MS = 10_000;

/** Delays between retries of a busy droplet: 15 s, 30 s, 60 s, then every 2 minutes. */
const BUSY_RETRY_SECONDS = [15, 30, 60, 120];

export type InitiateOutcome =
  | { readonly kind: 'started'; readonly actionId: number }
  | { readonly kind: 'adopted'; readonly actionId: number }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly message: string }
  /** Put back on the queue with a delay: the droplet was busy, or the answer was lost. */
  | { readonly kind: 'retrying'; readonly delaySeconds: number; readonly reason: string }
  /** Another delivery of the same item owns it; nothing was done. */
  | { readonly kind: 'duplicate' };

/**
 * Starts one droplet's action exactly once. Every POST is preceded by a conditional ledger write
 * that only one delivery can win (the claim, or moving `attempts` on from the value the retry was
 * scheduled under), and a POST whose outcome is unknown is followed by a look at the droplet's
 * actions before anything is sent again. So however often an item is delivered, DigitalOcean gets
 * at most one action for it.
 */
export async function initiateAction(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
): Promise<InitiateOutcome> {
  const key = keyOf(item);
  const owned = await ownAttempt(deps, item, key);
  if (!owned) return { kind: 'duplicate' };
  const { record } = owned;
  try {
    if (item.previousOutcome === 'unknown') {
      const adopted = await adoptIfStarted(deps, item, record);
      if (adopted) return adopted;
    }
    if (item.skipWhenAlreadyInState) {
      const skipped = await skipIfAlreadyInState(deps, item);
      if (skipped) return skipped;
    }
  } catch (error) {
    return handleFailure(deps, item, record, error, 'read');
  }
  let action;
  let stampedAt = Date.parse(record.sendingAt ?? record.updatedAt);
  try {
    action = await deps.api.initiate(item.dropletId, item.action, {
      beforeSend: async () => {
        const now = deps.now();
        if (now.getTime() - stampedAt < FRESH_ATTEMPT_MS) return;
        await restamp(deps, record, now);
        stampedAt = now.getTime();
      },
    });
  } catch (error) {
    // While the POST waited for its turn, the claim was handed to another delivery: not sent.
    if (error instanceof LedgerConflictError) return { kind: 'duplicate' };
    return handleFailure(deps, item, record, error, 'post');
  }
  return markStarted(
    deps,
    item,
    record,
    action.id,
    action.startedAt,
    action.regionSlug ?? undefined,
    'started',
  );
}

/**
 * A POST about to go out long after its attempt was taken (it waited for rate budget) first proves
 * that this delivery still holds the attempt, and stamps the claim, so that the reconciler leaves
 * it alone while the POST can be in flight (`POST_IN_FLIGHT_MS`). A prompt POST needs no extra
 * write: the claim's own `sendingAt` covers it.
 */
async function restamp(deps: UseCaseDependencies, record: ActionRecord, now: Date): Promise<void> {
  await deps.ledger.reschedule(record, {
    expectedStatus: 'pending',
    expectedAttempts: record.attempts,
    dueAt: later(deps, now, CLAIM_GRACE_MS),
    sendingAt: now.toISOString(),
  });
}

function keyOf(item: InitiateWorkItem): LedgerKey {
  return item.parentActionId === undefined
    ? actionKey(item.policy, item.scheduledTime, item.dropletId)
    : followUpKey(item.policy, item.scheduledTime, item.dropletId, item.action.type);
}

function describe(item: InitiateWorkItem): ActionDescription {
  const { type, ...params } = item.action as DropletAction & Record<string, unknown>;
  return {
    policy: item.policy,
    scheduledTime: item.scheduledTime,
    dropletId: item.dropletId,
    dropletName: item.dropletName,
    region: item.region,
    type,
    params: Object.keys(params).length > 0 ? params : undefined,
    mode: 'per-droplet',
    diskGb: item.diskGb,
    timeoutMinutes: item.timeoutMinutes,
    fallback: item.fallback,
    retention: item.retention,
    parentActionId: item.parentActionId,
  };
}

/**
 * Wins this delivery the right to POST, or says another delivery has it. A first delivery claims
 * the item; a retry we scheduled moves `attempts` on from the value it was scheduled under.
 */
async function ownAttempt(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  key: LedgerKey,
): Promise<{ record: ActionRecord } | undefined> {
  const now = deps.now();
  const dueAt = later(deps, now, CLAIM_GRACE_MS);
  if (item.expectedAttempts === undefined) {
    const claim = await deps.ledger.claimAction({ ...describe(item), dueAt, timeoutAt: item.retryUntil });
    return claim.claimed ? { record: claim.record } : undefined;
  }
  try {
    return { record: await deps.ledger.retryClaim(key, { expectedAttempts: item.expectedAttempts, dueAt }) };
  } catch (error) {
    if (error instanceof LedgerConflictError) return undefined;
    throw error;
  }
}

async function markStarted(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  record: ActionRecord,
  actionId: number,
  startedAt: string,
  region: string | undefined,
  kind: 'started' | 'adopted',
): Promise<InitiateOutcome> {
  try {
    await deps.ledger.markStarted(record, {
      expectedAttempts: record.attempts,
      actionId,
      startedAt,
      dueAt: later(deps, startedAt, firstCheckDelayMs(item.action.type, item.diskGb)),
      timeoutAt: later(deps, startedAt, item.timeoutMinutes * 60_000),
      region,
    });
  } catch (error) {
    // The reconciler resolved the claim first (it looks before it retries, so it adopted this
    // very action): the action is on record either way.
    if (error instanceof LedgerConflictError) return { kind: 'duplicate' };
    throw error;
  }
  return { kind, actionId };
}

/** The previous attempt's answer was lost: if DigitalOcean started the action, record it as ours. */
async function adoptIfStarted(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  record: ActionRecord,
): Promise<InitiateOutcome | undefined> {
  const excludeActionIds = await actionIdsOwnedElsewhere(deps.ledger, record);
  for await (const page of deps.api.listDropletActions(item.dropletId, { perPage: 50 })) {
    const match = findAdoptableAction(page, {
      dropletId: item.dropletId,
      type: item.action.type,
      attemptedAt: record.claimedAt,
      excludeActionIds,
    });
    if (match)
      return markStarted(
        deps,
        item,
        record,
        match.id,
        match.startedAt,
        match.regionSlug ?? undefined,
        'adopted',
      );
    // The newest actions come first; ours, if it exists, is on the first page.
    break;
  }
  return undefined;
}

async function skipIfAlreadyInState(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
): Promise<InitiateOutcome | undefined> {
  const target = powerStateAfter(item.action.type);
  if (target === undefined) return undefined;
  // A retry reads afresh: the state dispatch saw may be minutes old by now.
  const status =
    item.observedStatus !== undefined && item.expectedAttempts === undefined
      ? item.observedStatus
      : (await deps.api.getDroplet(item.dropletId)).status;
  if (status !== target) return undefined;
  const reason = `droplet already ${status}`;
  await deps.ledger.recordTerminalWithoutAction(describe(item), { status: 'skipped', reason });
  return { kind: 'skipped', reason };
}

async function handleFailure(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  record: ActionRecord,
  error: unknown,
  phase: 'read' | 'post',
): Promise<InitiateOutcome> {
  if (!(error instanceof DigitalOceanError)) throw error;
  if (
    error.status >= 400 &&
    error.status < 500 &&
    !(error instanceof PendingEventError) &&
    !(error instanceof RateLimitedError)
  ) {
    return reject(deps, item, error);
  }
  if (phase === 'read') {
    // A failed read started nothing; the next attempt reads again.
    return retryLater(deps, item, record, 30, item.previousOutcome ?? 'not-started', error.code);
  }
  if (error instanceof PendingEventError) {
    const delaySeconds =
      BUSY_RETRY_SECONDS[Math.min(record.attempts - 1, BUSY_RETRY_SECONDS.length - 1)] ?? 120;
    if (Date.parse(later(deps, deps.now(), delaySeconds * 1000)) > Date.parse(item.retryUntil)) {
      return reject(deps, item, error);
    }
    return retryLater(deps, item, record, delaySeconds, 'not-started', 'droplet busy with another action');
  }
  if (error instanceof RateLimitedError || (!error.outcomeUnknown && error.status === 0)) {
    // Certainly not carried out (429, connection refused): try again once the budget allows.
    return retryLater(
      deps,
      item,
      record,
      error instanceof RateLimitedError ? (error.retryAfterSeconds ?? 60) : 30,
      'not-started',
      error.code,
    );
  }
  if (error.outcomeUnknown) {
    const adopted = await adoptIfStarted(deps, item, record);
    if (adopted) return adopted;
    return retryLater(deps, item, record, 5, 'unknown', 'DigitalOcean did not answer the POST');
  }
  throw error;
}

async function reject(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  error: DigitalOceanError,
): Promise<InitiateOutcome> {
  const message =
    error instanceof NotFoundError ? `droplet ${item.dropletId}: ${error.apiMessage}` : error.apiMessage;
  const result = await deps.ledger.recordTerminalWithoutAction(describe(item), {
    status: 'rejected',
    error: { code: error.id ?? error.code, message, requestId: error.requestId },
  });
  const event = result.recorded ? actionEventFor(result.record) : undefined;
  if (event) await deps.events.publish([event]);
  return { kind: 'rejected', message };
}

/**
 * Puts the item back with a delay under the attempt it holds, and moves the claim's `dueAt` past
 * that delay so that the reconciler does not mistake the wait for an abandoned claim.
 */
async function retryLater(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
  record: ActionRecord,
  delaySeconds: number,
  previousOutcome: 'not-started' | 'unknown',
  reason: string,
): Promise<InitiateOutcome> {
  const dueAt = later(deps, deps.now(), delaySeconds * 1000 + CLAIM_GRACE_MS);
  try {
    await deps.ledger.reschedule(record, {
      expectedStatus: 'pending',
      expectedAttempts: record.attempts,
      dueAt,
    });
  } catch (error) {
    // The claim moved on meanwhile (a reconciler adopted the action this delivery's POST may have
    // started after all): there is nothing left to retry.
    if (error instanceof LedgerConflictError) return { kind: 'duplicate' };
    throw error;
  }
  await deps.queue.send([{ ...item, expectedAttempts: record.attempts, previousOutcome }], { delaySeconds });
  return { kind: 'retrying', delaySeconds, reason };
}
