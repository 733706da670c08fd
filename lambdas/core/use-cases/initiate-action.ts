import { powerStateAfter } from '../actions/action-catalog';
import type { DropletAction } from '../actions/droplet-action';
import { DigitalOceanError } from '../errors/digitalocean-error';
import { NotFoundError } from '../errors/not-found-error';
import { PendingEventError } from '../errors/pending-event-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import { othersOnDroplet } from '../initiate/others-on-droplet';
import { adoptableActions } from '../initiate/find-adoptable-action';
import { newerActionOnDroplet } from '../initiate/newer-action-on-droplet';
import { skipTagAmong, skipTagReason } from '../overrides/skip-tags';
import type { ActionRecord } from '../ledger/action-record';
import { actionId, describeItem, idOf, type ItemId } from '../ledger/item-id';
import type { LedgerRecord } from '../ledger/ledger-record';
import type { LedgerError } from '../ledger/ledger-record-base';
import type { Action } from '../ports/droplet-api';
import { commit } from '../state/commit';
import type { NewAction } from '../state/new-item';
import { mustLookFirst, type LedgerEvent, type NewerAction } from '../state/transitions';
import { firstCheckDelayMs } from '../reconcile/next-check';
import type { InitiateWorkItem } from './initiate-work-item';
import { startOperation } from '../parking/start-operation';
import { runEffects } from './run-effects';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Delays between retries of a busy droplet, in DigitalOcean's time: 15 s, 30 s, 60 s, then every 2 minutes. */
const BUSY_RETRY_SECONDS = [15, 30, 60, 120];

export type InitiateOutcome =
  | { readonly kind: 'started'; readonly actionId: number }
  | { readonly kind: 'adopted'; readonly actionId: number }
  /** A parking operation did its part at once (it starts no DigitalOcean action of its own). */
  | { readonly kind: 'done'; readonly result: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'rejected'; readonly message: string }
  | { readonly kind: 'timed-out'; readonly message: string }
  /** Given back until later, and queued again with this delay: the droplet was busy, or the answer was lost. */
  | { readonly kind: 'retrying'; readonly delaySeconds: number; readonly reason: string }
  /** Another delivery holds or has finished the item; nothing was done. */
  | { readonly kind: 'duplicate' };

/** A work item of a droplet action (not a parking operation). */
type ActionWork = InitiateWorkItem & { readonly action: DropletAction };

/** The claim this delivery holds, once it holds one. */
type Held = ActionRecord;

/** Thrown from `beforeSend` to stop a POST without sending it. */
class NotSending extends Error {
  constructor(
    readonly why:
      { readonly outcome: InitiateOutcome } | { readonly held: Held; readonly lookFirst: boolean },
  ) {
    super('not sending');
  }
}

/**
 * Starts one droplet's action exactly once, however often its work item is delivered. The order is
 * rate-limit slot, then claim, then POST at once, with an abort deadline inside the claim's lease,
 * so no request of an ended claim can reach DigitalOcean. Whoever claims after an attempt whose
 * answer was lost looks at the droplet's actions first, and adopts what it finds only as the
 * action's single owner. Every move goes through the state machine (`transition`).
 */
export async function initiateAction(
  deps: UseCaseDependencies,
  item: InitiateWorkItem,
): Promise<InitiateOutcome> {
  if (item.operation !== undefined) return startOperation(deps, item);
  const work = item as ActionWork;
  const id = actionId(work.policy, work.scheduledTime, work.dropletId, work.step);
  const init = describe(work);
  const target = work.skipWhenAlreadyInState ? powerStateAfter(work.action.type) : undefined;
  if (target !== undefined && work.observedStatus === target) {
    // What dispatch saw when it listed the tag, on a first delivery: nothing to claim or send.
    const skipped = await commit(deps, id, { type: 'skip', init, reason: `droplet already ${target}` }, null);
    if (skipped.ok)
      return finish(deps, skipped.item, { kind: 'skipped', reason: `droplet already ${target}` });
  }
  const newer =
    work.parentStartedAt === undefined
      ? undefined
      : await newerActionOnDroplet(deps.ledger, {
          ...work,
          type: work.action.type,
          parentStartedAt: work.parentStartedAt,
        });
  if (target !== undefined && work.observedStatus !== target && work.observedStatus !== undefined) {
    return sendAtOnce(deps, work, id, init, newer);
  }
  if (target !== undefined) {
    // The droplet's state must be read first, under the claim.
    try {
      const held = await claim(deps, id, init, newer);
      return await underClaim(deps, work, id, held.item, held.lookFirst);
    } catch (error) {
      if (error instanceof NotSending && 'outcome' in error.why) return error.why.outcome;
      throw error;
    }
  }
  return sendAtOnce(deps, work, id, init, newer);
}

/** The common case: the slot, then the claim inside `beforeSend`, then the POST at once. */
async function sendAtOnce(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  init: NewAction,
  newer: NewerAction | undefined,
): Promise<InitiateOutcome> {
  let held: Held | undefined;
  let action: Action;
  try {
    action = await deps.api.initiate(work.dropletId, work.action, {
      beforeSend: async () => {
        const claimed = await claim(deps, id, init, newer);
        if (claimed.lookFirst) throw new NotSending({ held: claimed.item, lookFirst: true });
        held = claimed.item;
        return deps.timing.sendDeadline(held.leaseUntil as string);
      },
    });
  } catch (error) {
    if (error instanceof NotSending) {
      return 'outcome' in error.why ? error.why.outcome : underClaim(deps, work, id, error.why.held, true);
    }
    if (held === undefined) return notClaimed(deps, work, error);
    return onFailure(deps, work, id, held, error);
  }
  return recordStarted(deps, work, id, held as Held, action, 'started');
}

/**
 * The request was refused before this delivery claimed anything (the rate limiter would have made
 * it wait too long): nothing is held and nothing was sent, so the work item simply goes back on
 * the queue for when the budget allows.
 */
async function notClaimed(
  deps: UseCaseDependencies,
  work: ActionWork,
  error: unknown,
): Promise<InitiateOutcome> {
  if (!(error instanceof RateLimitedError) || error.status !== 0) throw error;
  const delaySeconds = Math.min(900, Math.max(1, error.retryAfterSeconds ?? 30));
  await deps.queue.send([work], { delaySeconds });
  return { kind: 'retrying', delaySeconds, reason: "waiting for the token's rate budget" };
}

/**
 * Takes the item's next attempt, or says why not: another delivery holds or has finished it, or a
 * newer tick acted on the droplet since the step before (the item is then recorded `skipped`).
 * `lookFirst`: an earlier attempt's answer was lost, so the droplet's actions must be looked at
 * before anything is sent.
 */
async function claim(
  deps: UseCaseDependencies,
  id: ItemId,
  init: NewAction,
  newer: NewerAction | undefined,
): Promise<{ item: Held; lookFirst: boolean }> {
  const claimed = await commit(deps, id, { type: 'claim', init, newer }, null);
  if (!claimed.ok) throw new NotSending({ outcome: { kind: 'duplicate' } });
  const item = claimed.item as ActionRecord;
  if (item.status === 'skipped') {
    throw new NotSending({
      outcome: await finish(deps, item, { kind: 'skipped', reason: item.reason ?? 'skipped' }),
    });
  }
  return { item, lookFirst: mustLookFirst(claimed.previous) };
}

/**
 * Everything that needs reading before the POST, done under the claim, with requests that jump the
 * rate limiter's queue and carry the claim's deadline: the look for an action a lost answer
 * started, and the droplet's power state. An action found by looking is adopted only by whoever
 * writes its owner item first, and only once no other claim can still record it from its own
 * answer: every rival claim that could have sent it has ended and is fenced (`fenceRivals`).
 */
async function underClaim(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
  lookFirst: boolean,
): Promise<InitiateOutcome> {
  const deadline = deps.timing.sendDeadline(held.leaseUntil as string);
  try {
    if (lookFirst) {
      const others = await othersOnDroplet(deps.ledger, { id, ...held });
      let candidates: Action[] = [];
      for await (const page of deps.api.listDropletActions(work.dropletId, {
        perPage: 50,
        deadline,
        urgent: true,
      })) {
        candidates = adoptableActions(page, { ...held, excludeActionIds: others.recorded });
        // The newest actions come first in practice: an action of this item's attempts is on page one.
        break;
      }
      const now = deps.now().getTime();
      for (const candidate of candidates) {
        const rivalry = await fenceRivals(deps, others.rivals, candidate);
        if (rivalry === 'taken') continue;
        if (rivalry !== 'clear') {
          return await release(
            deps,
            work,
            id,
            held,
            rivalry.until,
            'unknown',
            `action ${candidate.id} may still be ${rivalry.whose}'s`,
          );
        }
        const owner = await deps.ledger.claimActionOwner({ actionId: candidate.id, owner: id });
        if (describeItem(owner.owner) === describeItem(id))
          return await recordStarted(deps, work, id, held, candidate, 'adopted');
      }
      // The protocol's own recovery (one lease, one adoption delay) does not count against the
      // policy's window; past both, sending now would act too late.
      if (held.timeoutAt !== undefined && now >= Date.parse(held.timeoutAt) + deps.timing.recoveryGraceMs) {
        return await giveUp(deps, work, id, held);
      }
    }
    const target = work.skipWhenAlreadyInState ? powerStateAfter(work.action.type) : undefined;
    const droplet = target === undefined ? undefined : await deps.api.getDroplet(work.dropletId);
    // The read that was needed anyway also shows a skip tag put on since dispatch looked.
    const skipTag = skipTagAmong(work.policy, droplet?.tags);
    if (droplet !== undefined && (droplet.status === target || skipTag !== undefined)) {
      const reason = skipTag !== undefined ? skipTagReason(skipTag) : `droplet already ${target}`;
      const skipped = await commit(deps, id, { type: 'skip', attempts: held.attempts, reason }, held);
      return skipped.ok
        ? await finish(deps, skipped.item, { kind: 'skipped', reason })
        : { kind: 'duplicate' };
    }
  } catch (error) {
    return onFailure(deps, work, id, held, error, { lookFirst });
  }
  let action: Action;
  try {
    action = await deps.api.initiate(work.dropletId, work.action, { deadline, urgent: true });
  } catch (error) {
    return onFailure(deps, work, id, held, error);
  }
  return recordStarted(deps, work, id, held, action, 'started');
}

/**
 * Makes sure no other item can still record `candidate` from its own answer: every other claim of
 * the droplet that could have sent it (claimed before it started) is either known not to have (it
 * recorded another action), or has ended and is fenced, its version moved on, so that a write of
 * its decided before the fence fails its compare-and-set. `taken`: one of them has recorded it.
 */
async function fenceRivals(
  deps: UseCaseDependencies,
  rivals: readonly ActionRecord[],
  candidate: Action,
): Promise<'clear' | 'taken' | { readonly until: number; readonly whose: string }> {
  const latestSender = Date.parse(candidate.startedAt) + deps.timing.clockSkewMs + 1_000;
  const now = deps.now();
  if (Date.parse(candidate.startedAt) + deps.timing.adoptAfterMs > now.getTime()) {
    return {
      until: Date.parse(candidate.startedAt) + deps.timing.adoptAfterMs,
      whose: 'a claim not yet in the index',
    };
  }
  for (const rival of rivals.filter((item) => Date.parse(item.claimedAt) <= latestSender)) {
    const rivalId = idOf(rival);
    const current = await deps.ledger.get(rivalId);
    if (current?.kind !== 'action') continue;
    if (current.actionId === candidate.id) return 'taken';
    // Recorded another action, or gave its claim back knowing nothing was sent: not the sender.
    if (current.status !== 'pending' || current.lastAttempt === 'not-sent') continue;
    if (!deps.timing.leaseExpired(current.leaseUntil, now)) {
      return {
        until: Date.parse(current.leaseUntil as string) + deps.timing.clockSkewMs + 1,
        whose: describeItem(rivalId),
      };
    }
    const fenced = await commit(deps, rivalId, { type: 'fence' }, current);
    if (!fenced.ok) {
      // It moved on meanwhile: look again at it next time round.
      return { until: now.getTime() + deps.timing.adoptAfterMs, whose: describeItem(rivalId) };
    }
  }
  return 'clear';
}

async function giveUp(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
): Promise<InitiateOutcome> {
  const message = `expected DigitalOcean to start ${work.action.type} before ${held.timeoutAt}, got: no action`;
  const event: LedgerEvent = {
    type: 'give-up',
    attempts: held.attempts,
    error: { code: 'timed_out', message },
  };
  const gaveUp = await commit(deps, id, event, held);
  return gaveUp.ok ? finish(deps, gaveUp.item, { kind: 'timed-out', message }) : { kind: 'duplicate' };
}

/** Carries out a final write's effects (its event) and answers the outcome. */
async function finish(
  deps: UseCaseDependencies,
  item: LedgerRecord,
  outcome: InitiateOutcome,
): Promise<InitiateOutcome> {
  await runEffects(deps, item);
  return outcome;
}

async function recordStarted(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
  action: Action,
  how: 'started' | 'adopted',
): Promise<InitiateOutcome> {
  const started = {
    actionId: action.id,
    startedAt: action.startedAt,
    region: action.regionSlug ?? undefined,
    dueAt: deps.timing.afterDo(action.startedAt, firstCheckDelayMs(work.action.type, work.diskGb)),
    timeoutAt: deps.timing.afterDo(action.startedAt, work.timeoutMinutes * 60_000),
  };
  const event: LedgerEvent =
    how === 'started'
      ? { type: 'started', attempts: held.attempts, action: started }
      : { type: 'adopted', attempts: held.attempts, action: started, owned: true };
  const recorded = await commit(deps, id, event, held);
  // The claim ended before the answer was written: whoever claims next finds this action by
  // looking and adopts it, so it is recorded all the same.
  if (!recorded.ok) return { kind: 'duplicate' };
  return { kind: how, actionId: action.id };
}

/**
 * What a failed request under this claim means: DigitalOcean refused it for good (`rejected`), the
 * droplet is busy or the budget spent (given back until a retry, certainly not started), or the
 * answer was lost (given back, and whoever claims next looks first). A failed read sent nothing:
 * the claim is given back as it was, to look again if it had to look.
 */
async function onFailure(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
  error: unknown,
  read?: { readonly lookFirst: boolean },
): Promise<InitiateOutcome> {
  if (!(error instanceof DigitalOceanError)) throw error;
  const now = deps.now().getTime();
  const notSent = read ? (read.lookFirst ? 'unknown' : 'not-sent') : 'not-sent';
  if (error instanceof PendingEventError) {
    const delayMs = deps.timing.scaled((BUSY_RETRY_SECONDS[Math.min(held.attempts - 1, 3)] ?? 120) * 1000);
    if (now + delayMs > Date.parse(work.retryUntil)) return reject(deps, work, id, held, error);
    return release(deps, work, id, held, now + delayMs, notSent, 'droplet busy with another action');
  }
  if (error instanceof RateLimitedError || (error.status === 0 && !error.outcomeUnknown)) {
    // Certainly not carried out: a 429, a refused connection, a deadline that passed.
    const waitMs =
      error instanceof RateLimitedError && error.retryAfterSeconds
        ? error.retryAfterSeconds * 1000
        : deps.timing.scaled(30_000);
    return release(deps, work, id, held, now + waitMs, notSent, error.id ?? error.code);
  }
  if (error.status >= 400 && error.status < 500) {
    // A read that must find a lost action is not given up on a refusal other than a missing droplet.
    if (read?.lookFirst && !(error instanceof NotFoundError)) {
      return release(deps, work, id, held, now + deps.timing.scaled(30_000), 'unknown', error.code);
    }
    return reject(deps, work, id, held, error);
  }
  if (read) return release(deps, work, id, held, now + deps.timing.scaled(30_000), notSent, error.code);
  // The answer was lost (5xx, timeout, dropped connection): the action may exist. Look again once
  // an action it started can be adopted.
  return release(
    deps,
    work,
    id,
    held,
    now + deps.timing.adoptAfterMs,
    'unknown',
    'DigitalOcean did not answer the POST',
  );
}

async function reject(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
  error: DigitalOceanError,
): Promise<InitiateOutcome> {
  const message =
    error instanceof NotFoundError ? `droplet ${work.dropletId}: ${error.apiMessage}` : error.apiMessage;
  const ledgerError: LedgerError = { code: error.id ?? error.code, message, requestId: error.requestId };
  const rejected = await commit(
    deps,
    id,
    { type: 'reject', attempts: held.attempts, error: ledgerError },
    held,
  );
  return rejected.ok ? finish(deps, rejected.item, { kind: 'rejected', message }) : { kind: 'duplicate' };
}

/**
 * Gives the claim back until `retryAt` and queues the work item again for then. Should the message
 * be lost, the reconciler finds the claim once `retryAt` has passed.
 */
async function release(
  deps: UseCaseDependencies,
  work: ActionWork,
  id: ItemId,
  held: Held,
  retryAt: number,
  lastAttempt: 'unknown' | 'not-sent',
  reason: string,
): Promise<InitiateOutcome> {
  const released = await commit(
    deps,
    id,
    { type: 'release', attempts: held.attempts, retryAt: new Date(retryAt).toISOString(), lastAttempt },
    held,
  );
  if (!released.ok) return { kind: 'duplicate' };
  // At `retryAt`, not at its lease end plus the clock skew: two claims of one droplet that both lost
  // their answers each wait for the other's lease, and retries timed to the other's lease end lock
  // them into that wait forever (chaos --quick, overlap-a and overlap-b). An early redelivery that
  // is refused as a duplicate leaves the retry to the reconciler, whose timing breaks the lock.
  const delaySeconds = Math.max(0, Math.ceil((retryAt - deps.now().getTime()) / 1000));
  // A retry reads the droplet afresh: the state dispatch saw may be minutes old by then.
  await deps.queue.send([{ ...work, observedStatus: undefined }], {
    delaySeconds: Math.min(delaySeconds, 900),
  });
  return { kind: 'retrying', delaySeconds, reason };
}

function describe(work: ActionWork): NewAction {
  const { type, ...params } = work.action as DropletAction & Record<string, unknown>;
  return {
    kind: 'action',
    policy: work.policy,
    team: work.team,
    scheduledTime: work.scheduledTime,
    dropletId: work.dropletId,
    step: work.step,
    dropletName: work.dropletName,
    region: work.region,
    type,
    params,
    mode: 'per-droplet',
    diskGb: work.diskGb,
    timeoutMinutes: work.timeoutMinutes,
    timeoutAt: work.retryUntil,
    workflow: work.workflow,
    retention: work.retention,
    parentActionId: work.parentActionId,
  };
}
