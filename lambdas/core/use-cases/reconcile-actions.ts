import { eachWithConcurrency } from '../concurrency/each-with-concurrency';
import { DigitalOceanError } from '../errors/digitalocean-error';
import { powerStateAfter } from '../actions/action-catalog';
import { NotFoundError } from '../errors/not-found-error';
import { LedgerConflictError } from '../errors/ledger-conflict-error';
import { actionIdsOwnedElsewhere } from '../initiate/action-ids-owned-elsewhere';
import { findAdoptableAction } from '../initiate/find-adoptable-action';
import type { ActionRecord } from '../ledger/action-record';
import type { LedgerError } from '../ledger/ledger-record-base';
import type { TerminalStatus } from '../ledger/ledger-status';
import type { ClaimVersion } from '../ports/action-ledger';
import type { Action, Droplet } from '../ports/droplet-api';
import { alignToSlot, checkWaitMs } from '../reconcile/next-check';
import { actionEventFor } from './action-events';
import { dropletStatuses, readStatuses } from './read-action-statuses';
import { resumeAbandonedRuns } from './resume-abandoned-runs';
import { applyRetention } from './apply-retention';
import { CLAIM_GRACE_MS } from './initiate-action';
import { later, type UseCaseDependencies } from './use-case-dependencies';
import { workItemFromRecord } from './work-item-from-record';

export interface ReconcileOptions {
  /**
   * Open items looked at in one run, earliest due first; the rest wait for the next run. As many
   * as one bulk action on a large tag starts, so that the pages read for it settle all of it.
   * @default 10000
   */
  readonly maxItems?: number;
  /**
   * Pages of `GET /v2/actions` (200 actions each) read in one run before falling back to one
   * `GET /v2/actions/{id}` per action still unseen.
   * @default one page per 200 due actions plus 2, from 10 to 50 (`listPageBudget`)
   */
  readonly maxListPages?: number;
  /**
   * `GET /v2/actions/{id}` calls in one run; actions beyond it are looked at in the next run.
   * @default 100
   */
  readonly maxSingleLookups?: number;
}

export interface ReconcileReport {
  readonly examined: number;
  readonly completed: number;
  readonly errored: number;
  readonly timedOut: number;
  /** Items another reconciler settled first; nothing was written or emitted for them. */
  readonly alreadySettled: number;
  readonly stillOpen: number;
  /** Power actions DigitalOcean errored because the droplet was already in that state. */
  readonly skipped: number;
  /** Abandoned claims adopted or handed back to initiate. */
  readonly claimsResolved: number;
  /** Ticks whose dispatch crashed, finished by this pass. */
  readonly runsResumed: number;
  readonly followUpsQueued: number;
  readonly snapshotsDeleted: number;
  /** How late the most overdue item was looked at, in seconds. */
  readonly lagSeconds: number;
}

type Tally = { -readonly [K in keyof ReconcileReport]: ReconcileReport[K] };

const SECONDS_PER_MINUTE = 60;

/** How far ahead of its `dueAt` an item is looked at with the others: twice `spreadDueAt`'s second. */
const DUE_SLACK_MS = 2_000;

/** Items settled at once: a bulk action's thousands of terminal writes fit in one Lambda run. */
const SETTLE_CONCURRENCY = 8;

/**
 * Real time (never scaled) after a claim's `sendingAt` during which its POST may still be on the
 * wire: a POST leaves within `FRESH_ATTEMPT_MS` (10 s) of it, or re-stamps the claim first, and
 * the client gives one attempt 30 s. A claim quiet for longer is being sent by no one, so it can be
 * handed on (or given up) without a second POST racing the first; a delivery still waiting for rate
 * budget finds the claim moved on when it re-stamps, and does not send.
 */
const POST_IN_FLIGHT_MS = 45_000;

/** How long a fallback `power_off` may wait for a busy droplet before it is recorded `rejected`. */
const FALLBACK_RETRY_WINDOW_MS = 30 * 60_000;

/**
 * When to look again at an action still running: the wait is planned in DigitalOcean's time (the
 * elapsed time is scaled up first), then rounded up to a shared slot on our clock.
 */
function nextCheckDueAt(deps: UseCaseDependencies, item: ActionRecord, now: Date): string {
  const scale = deps.timeScale ?? 1;
  const elapsedMs = (now.getTime() - Date.parse(item.startedAt ?? item.claimedAt)) * scale;
  const waitMs = checkWaitMs(item.type, elapsedMs) / scale;
  return new Date(alignToSlot(now.getTime() + waitMs, waitMs, 60_000 / scale)).toISOString();
}

/**
 * Takes every open ledger item that is due towards its final status: reads action statuses in
 * bulk from `GET /v2/actions`, falls back to single lookups, writes terminal statuses
 * conditionally (so two reconcilers never both write or both emit), times out what ran too long,
 * resolves abandoned claims, and starts follow-ups (the `power_off` fallback, snapshot retention).
 */
export async function reconcileActions(
  deps: UseCaseDependencies,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = deps.now();
  const runsResumed = await resumeAbandonedRuns(deps, now);
  // Every open item, not only the due ones: a page of GET /v2/actions read for a due action
  // shows the others on it too, and settling those as well costs nothing more.
  const open = await findOpen(deps, options.maxItems ?? 10_000);
  // Items due within the next two seconds count as due now: dueAt values spread by up to a second (see
  // spreadDueAt) still fall due together and share one read of the action list.
  const dueBy = now.getTime() + DUE_SLACK_MS;
  const isDue = (item: ActionRecord) => Date.parse(item.dueAt ?? now.toISOString()) <= dueBy;
  const due = open.filter(isDue);
  const tally: Tally = {
    examined: due.length,
    completed: 0,
    errored: 0,
    timedOut: 0,
    alreadySettled: 0,
    stillOpen: 0,
    skipped: 0,
    claimsResolved: 0,
    runsResumed,
    followUpsQueued: 0,
    snapshotsDeleted: 0,
    lagSeconds: due.reduce(
      (lag, item) => Math.max(lag, (now.getTime() - Date.parse(item.dueAt ?? now.toISOString())) / 1000),
      0,
    ),
  };
  if (due.length === 0) return tally;

  const hasAction = (item: ActionRecord) => item.status === 'in-progress' && item.actionId !== undefined;
  for (const claim of due.filter((item) => item.status === 'pending')) {
    await resolveAbandonedClaim(deps, claim, now, tally);
  }
  const running = open.filter(hasAction);
  const { seen, missing } = await readStatuses(deps, running.filter(isDue), running, options);
  const erroredPower = running.filter(
    (item) =>
      seen.get(item.actionId as number)?.status === 'errored' && powerStateAfter(item.type) !== undefined,
  );
  const dropletStatus = await dropletStatuses(deps, new Set(erroredPower.map((item) => item.dropletId)));
  await eachWithConcurrency(running, SETTLE_CONCURRENCY, async (item) => {
    const id = item.actionId as number;
    if (isDue(item)) {
      await settle(deps, item, seen.get(id), missing.has(id), dropletStatus, now, tally);
    } else if (seen.get(id)?.status === 'completed' || seen.get(id)?.status === 'errored') {
      tally.examined += 1;
      await settle(deps, item, seen.get(id), false, dropletStatus, now, tally);
    }
  });
  return tally;
}

async function findOpen(deps: UseCaseDependencies, maxItems: number): Promise<ActionRecord[]> {
  const items: ActionRecord[] = [];
  const everything = new Date(Date.now() + 10 * 365 * 86_400_000).toISOString();
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.findOpenDue(everything, {
      limit: Math.min(1000, maxItems - items.length),
      cursor,
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < maxItems);
  return items;
}

async function settle(
  deps: UseCaseDependencies,
  item: ActionRecord,
  action: Action | undefined,
  missing: boolean,
  dropletStatus: ReadonlyMap<number, Droplet['status']>,
  now: Date,
  tally: Tally,
): Promise<void> {
  if (action?.status === 'completed') {
    await finish(deps, item, 'completed', { completedAt: action.completedAt ?? now.toISOString() }, tally);
  } else if (action?.status === 'errored' && isAlreadyThere(item, dropletStatus)) {
    // DigitalOcean errors a power action on a droplet already in that state (a bulk request by
    // tag cannot leave such droplets out); the outcome the policy wanted is there all the same.
    const reason = `droplet already ${powerStateAfter(item.type)}; DigitalOcean's action ${item.actionId} for it errored`;
    await finish(
      deps,
      item,
      'skipped',
      { completedAt: action.completedAt ?? now.toISOString(), reason },
      tally,
    );
  } else if (action?.status === 'errored') {
    const error = {
      code: 'action_errored',
      message: `DigitalOcean reports action ${item.actionId} (${item.type}) errored`,
    };
    await finish(
      deps,
      item,
      'errored',
      { completedAt: action.completedAt ?? now.toISOString(), error },
      tally,
    );
  } else if (action && item.timeoutAt !== undefined && now.getTime() >= Date.parse(item.timeoutAt)) {
    // Only an action seen still running is timed out: one this pass could not look at (its
    // lookup budget ran out) may well have finished, and gets its look first thing next pass.
    const minutes =
      item.timeoutMinutes ??
      Math.round((Date.parse(item.timeoutAt) - Date.parse(item.startedAt ?? item.claimedAt)) / 60_000);
    const error = {
      code: 'timed_out',
      message: `expected ${item.type} to finish within ${minutes} minutes, got: ${action.status}`,
    };
    await finish(deps, item, 'timed-out', { completedAt: now.toISOString(), error }, tally);
  } else if (missing) {
    const error = { code: 'not_found', message: `DigitalOcean has no action ${item.actionId}` };
    await finish(deps, item, 'errored', { completedAt: now.toISOString(), error }, tally);
  } else {
    tally.stillOpen += 1;
    // Unseen this run (the lookup budget ran out): it stays due as it is, first in line for the
    // next run, and its lateness shows in the reconcile lag.
    if (action)
      await keepOpen(deps, item, { expectedStatus: 'in-progress', dueAt: nextCheckDueAt(deps, item, now) });
  }
}

/**
 * The terminal write, then what follows from it. Only the reconciler whose write made the
 * transition emits the event and applies retention; the fallback is queued before the write,
 * since initiate's claim makes a second one harmless and a crash must not lose it.
 */
async function finish(
  deps: UseCaseDependencies,
  item: ActionRecord,
  status: TerminalStatus,
  changes: { completedAt: string; error?: LedgerError; reason?: string; expectedClaim?: ClaimVersion },
  tally: Tally,
): Promise<void> {
  if (await needsFallback(deps, item, status)) {
    await deps.queue.send([
      {
        ...workItemFromRecord(item, {}),
        action: { type: item.fallback } as never,
        parentActionId: item.actionId,
        skipWhenAlreadyInState: true,
        retryUntil: later(deps, deps.now(), FALLBACK_RETRY_WINDOW_MS),
        fallback: undefined,
      },
    ]);
    tally.followUpsQueued += 1;
  }
  const result = await deps.ledger.markTerminal(item, { status, ...changes });
  if (!result.transitioned) {
    tally.alreadySettled += 1;
    return;
  }
  if (status === 'completed') tally.completed += 1;
  else if (status === 'errored') tally.errored += 1;
  else if (status === 'timed-out') tally.timedOut += 1;
  else tally.skipped += 1;
  const event = actionEventFor(result.record);
  if (event) await deps.events.publish([event]);
  if (status === 'completed' && item.type === 'snapshot' && item.retention) {
    tally.snapshotsDeleted += await applyRetention(deps, result.record);
  }
}

/** Whether a power action's droplet is already in the state the action leads to. */
function isAlreadyThere(item: ActionRecord, dropletStatus: ReadonlyMap<number, Droplet['status']>): boolean {
  const target = powerStateAfter(item.type);
  return target !== undefined && dropletStatus.get(item.dropletId) === target;
}

/**
 * A `shutdown` with a fallback needs its `power_off` when it errored or timed out, and also when
 * it completed with the droplet still running: DigitalOcean's shutdown only guarantees that the
 * signal was sent.
 */
async function needsFallback(
  deps: UseCaseDependencies,
  item: ActionRecord,
  status: TerminalStatus,
): Promise<boolean> {
  if (item.fallback === undefined || item.actionId === undefined || item.parentActionId !== undefined)
    return false;
  if (status === 'errored' || status === 'timed-out') return true;
  if (status !== 'completed') return false;
  const droplet = await deps.api.getDroplet(item.dropletId);
  return droplet.status !== 'off';
}

async function keepOpen(
  deps: UseCaseDependencies,
  item: ActionRecord,
  changes: { expectedStatus: 'pending' | 'in-progress'; dueAt: string },
): Promise<void> {
  try {
    await deps.ledger.reschedule(item, changes);
  } catch (error) {
    // Another reconciler moved the item on meanwhile: it is in good hands.
    if (!(error instanceof LedgerConflictError)) throw error;
  }
}

/**
 * A claim still `pending` after its grace period: the POST's answer was never recorded (a crash,
 * or a retry that is overdue). If DigitalOcean started the action, adopt it; otherwise hand the
 * item back to initiate under the attempt it holds, so that exactly one delivery sends it again.
 */
async function resolveAbandonedClaim(
  deps: UseCaseDependencies,
  claim: ActionRecord,
  now: Date,
  tally: Tally,
): Promise<void> {
  let match: Action | undefined;
  const excludeActionIds = await actionIdsOwnedElsewhere(deps.ledger, claim);
  try {
    for await (const page of deps.api.listDropletActions(claim.dropletId, { perPage: 50 })) {
      match = findAdoptableAction(page, {
        dropletId: claim.dropletId,
        type: claim.type,
        attemptedAt: claim.claimedAt,
        excludeActionIds,
      });
      break;
    }
  } catch (error) {
    if (!(error instanceof DigitalOceanError)) throw error;
    if (error instanceof NotFoundError) {
      await finish(
        deps,
        claim,
        'errored',
        { completedAt: now.toISOString(), error: { code: 'not_found', message: error.apiMessage } },
        tally,
      );
      return;
    }
    tally.stillOpen += 1;
    return keepOpen(deps, claim, { expectedStatus: 'pending', dueAt: later(deps, now, CLAIM_GRACE_MS) });
  }
  tally.claimsResolved += 1;
  if (match) {
    try {
      await deps.ledger.markStarted(claim, {
        expectedAttempts: claim.attempts,
        actionId: match.id,
        startedAt: match.startedAt,
        dueAt: now.toISOString(),
        timeoutAt: later(deps, match.startedAt, (claim.timeoutMinutes ?? 60) * SECONDS_PER_MINUTE * 1000),
        region: match.regionSlug ?? undefined,
      });
    } catch (error) {
      if (!(error instanceof LedgerConflictError)) throw error;
    }
    return;
  }
  // A claim whose attempt was taken or stamped less than POST_IN_FLIGHT_MS ago may still have its
  // POST on the wire: handing it on now could send a second one, and giving it up could leave the
  // first one's action unrecorded. Look again once that time has passed.
  const sendingAt = claim.sendingAt === undefined ? undefined : Date.parse(claim.sendingAt);
  if (sendingAt !== undefined && now.getTime() - sendingAt < POST_IN_FLIGHT_MS) {
    tally.stillOpen += 1;
    const dueAt = new Date(sendingAt + POST_IN_FLIGHT_MS).toISOString();
    return keepOpen(deps, claim, { expectedStatus: 'pending', dueAt });
  }
  const expectedClaim = { attempts: claim.attempts, sendingAt: claim.sendingAt };
  if (claim.timeoutAt !== undefined && now.getTime() >= Date.parse(claim.timeoutAt)) {
    const error = {
      code: 'timed_out',
      message: `expected DigitalOcean to start ${claim.type} before ${claim.timeoutAt}, got: no action`,
    };
    await finish(deps, claim, 'timed-out', { completedAt: now.toISOString(), error, expectedClaim }, tally);
    return;
  }
  // Handed on only if no delivery took the claim up since it was read: a stale read must not put a
  // second delivery beside one whose POST is on its way.
  try {
    await deps.ledger.reschedule(claim, {
      expectedStatus: 'pending',
      expectedClaim,
      dueAt: later(deps, now, CLAIM_GRACE_MS),
    });
  } catch (error) {
    if (error instanceof LedgerConflictError) return;
    throw error;
  }
  await deps.queue.send([
    workItemFromRecord(claim, { expectedAttempts: claim.attempts, previousOutcome: 'unknown' }),
  ]);
}
