import { powerStateAfter, type ActionType } from '../actions/action-catalog';
import { needsDropletStatus } from '../workflow/workflow';
import { eachWithConcurrency } from '../concurrency/each-with-concurrency';
import type { ActionRecord } from '../ledger/action-record';
import { describeItem, idOf } from '../ledger/item-id';
import type { LedgerRecord } from '../ledger/ledger-record';
import type { RunRecord } from '../ledger/run-record';
import type { SnapshotDeletionRecord } from '../ledger/snapshot-deletion-record';
import type { Action, Droplet } from '../ports/droplet-api';
import type { LookBudget } from '../reconcile/look-budget';
import { alignToSlot, checkWaitMs } from '../reconcile/next-check';
import { commit } from '../state/commit';
import type { LedgerEvent } from '../state/transitions';
import { deleteSnapshot } from './apply-retention';
import { initiateAction } from './initiate-action';
import { dropletStatuses, readStatuses } from './read-action-statuses';
import { resumeRun } from './resume-run';
import { runEffects } from './run-effects';
import type { UseCaseDependencies } from './use-case-dependencies';
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
   * @default within a `budget`, what it allows; without one, one page per 200 due actions plus 2,
   * from 10 to 50 (`listPageBudget`), and up to 16 more to find where they are
   */
  readonly maxListPages?: number;
  /**
   * `GET /v2/actions/{id}` calls in one run; actions beyond it are looked at in the next run.
   * @default 100
   */
  readonly maxSingleLookups?: number;
  /**
   * The reconciler's share of the token's hourly budget, kept across passes by whoever runs them
   * (see `LookBudget`): status reads stay inside it, most urgent first.
   * @default none: a pass reads as much as `maxListPages` and `maxSingleLookups` allow
   */
  readonly budget?: LookBudget;
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
  /** Claims whose holder went away, taken up (adopted, sent again, or given up). */
  readonly claimsResolved: number;
  /** Ticks whose dispatch went away or failed, resumed by this pass. */
  readonly runsResumed: number;
  readonly followUpsQueued: number;
  readonly snapshotsDeleted: number;
  /** Items whose effects (event, next step, retention) a crash had left undone, now done. */
  readonly effectsRecovered: number;
  /** How late the most overdue item was looked at, in seconds. */
  readonly lagSeconds: number;
  /** Items this pass could not handle (recorded on the item where possible); the pass went on. */
  readonly failures: number;
  /** The first of them, for the log: which item, and why. */
  readonly firstFailure?: string;
}

type Tally = { -readonly [K in keyof ReconcileReport]: ReconcileReport[K] };

/** Items settled at once: a bulk action's thousands of terminal writes fit in one Lambda run. */
const SETTLE_CONCURRENCY = 8;

/** Pages of the open index read at most in one pass. */
const OPEN_PAGE_LIMIT = 1000;

const END_OF_TIME = '9999-12-31T23:59:59.999Z';

/**
 * One pass over everything the ledger says is due: runs whose dispatch went away, claims whose
 * holder went away, effects a crash left undone, and actions to look at. Statuses are read in bulk
 * (`GET /v2/actions`) and written through the state machine, so two reconcilers never both settle
 * one action. A failure on one item is recorded on it where it can be, and never stops the pass.
 */
export async function reconcileActions(
  deps: UseCaseDependencies,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = deps.now();
  const maxItems = options.maxItems ?? 10_000;
  const due = await findOpen(deps, now.toISOString(), maxItems);
  const tally: Tally = {
    examined: due.length,
    completed: 0,
    errored: 0,
    timedOut: 0,
    alreadySettled: 0,
    stillOpen: 0,
    skipped: 0,
    claimsResolved: 0,
    runsResumed: 0,
    followUpsQueued: 0,
    snapshotsDeleted: 0,
    effectsRecovered: 0,
    failures: 0,
    lagSeconds: due.reduce(
      (lag, item) => Math.max(lag, (now.getTime() - Date.parse(item.dueAt ?? now.toISOString())) / 1000),
      0,
    ),
  };
  if (due.length === 0) return tally;
  const isolate = async (item: LedgerRecord, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      tally.failures += 1;
      tally.firstFailure ??= `${describeItem(idOf(item))}: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const running: ActionRecord[] = [];
  for (const item of due) {
    if (item.outbox?.length) {
      await isolate(item, async () => {
        count(tally, await runEffects(deps, item));
        tally.effectsRecovered += 1;
      });
    } else if (item.kind === 'run') {
      await isolate(item, async () => {
        const outcome = await resumeRun(deps, item as RunRecord);
        if (outcome !== undefined && outcome.kind !== 'duplicate') tally.runsResumed += 1;
      });
    } else if (item.status === 'pending' && item.kind === 'action') {
      tally.claimsResolved += 1;
      await isolate(item, async () => void (await initiateAction(deps, workItemFromRecord(item))));
    } else if (item.status === 'pending' && item.kind === 'snapshot-deletion') {
      await isolate(item, () => resumeDeletion(deps, item, tally));
    } else if (item.kind === 'action' && item.status === 'in-progress') {
      running.push(item);
    }
  }
  if (running.length > 0) await settleRunning(deps, running, now, tally, options, isolate);
  return tally;
}

async function findOpen(deps: UseCaseDependencies, until: string, maxItems: number): Promise<LedgerRecord[]> {
  const items: LedgerRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.findOpenDue(until, {
      limit: Math.min(OPEN_PAGE_LIMIT, maxItems - items.length),
      cursor,
      teams: deps.teamScope,
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < maxItems);
  return items;
}

/**
 * Looks at the due running actions, reading many statuses per request. Every open action a page
 * shows is settled too when it has finished, since that read costs nothing more.
 */
async function settleRunning(
  deps: UseCaseDependencies,
  due: readonly ActionRecord[],
  now: Date,
  tally: Tally,
  options: ReconcileOptions,
  isolate: (item: LedgerRecord, work: () => Promise<void>) => Promise<void>,
): Promise<void> {
  const dueIds = new Set(due.map((item) => item.actionId));
  const open = (await findOpen(deps, END_OF_TIME, options.maxItems ?? 10_000)).filter(
    (item): item is ActionRecord =>
      item.kind === 'action' && item.status === 'in-progress' && item.outbox === undefined,
  );
  const others = open.filter((item) => !dueIds.has(item.actionId));
  const { seen, missing } = await readStatuses(deps, due, [...due, ...others], options);
  // The droplets whose power state decides what comes next: an errored power action may have left
  // the droplet where it should be, and a later step may be needed only if it is not there yet.
  const needStatus = [...due, ...others].filter((item) => {
    const status = seen.get(item.actionId as number)?.status;
    if (status === 'errored' && powerStateAfter(item.type as ActionType) !== undefined) return true;
    const ending =
      status === 'completed' ||
      status === 'errored' ||
      (item.timeoutAt !== undefined && now.getTime() >= Date.parse(item.timeoutAt));
    return ending && needsDropletStatus(item.workflow, item.step ?? 0);
  });
  const dropletStatus = await dropletStatuses(deps, new Set(needStatus.map((item) => item.dropletId)));
  await eachWithConcurrency(due, SETTLE_CONCURRENCY, (item) =>
    isolate(item, () =>
      settle(
        deps,
        item,
        seen.get(item.actionId as number),
        missing.has(item.actionId as number),
        dropletStatus,
        now,
        tally,
      ),
    ),
  );
  const finishedOthers = others.filter((item) =>
    ['completed', 'errored'].includes(seen.get(item.actionId as number)?.status ?? ''),
  );
  tally.examined += finishedOthers.length;
  await eachWithConcurrency(finishedOthers, SETTLE_CONCURRENCY, (item) =>
    isolate(item, () =>
      settle(deps, item, seen.get(item.actionId as number), false, dropletStatus, now, tally),
    ),
  );
}

/** What the reconciler saw of one running action, as a state-machine event, then its effects. */
async function settle(
  deps: UseCaseDependencies,
  item: ActionRecord,
  action: Action | undefined,
  missing: boolean,
  dropletStatus: ReadonlyMap<number, Droplet['status']>,
  now: Date,
  tally: Tally,
): Promise<void> {
  const actionId = item.actionId as number;
  const completedAt = action?.completedAt ?? now.toISOString();
  let event: LedgerEvent;
  // A later step may depend on the droplet's power state (the power_off after a shutdown, which
  // DigitalOcean only guarantees sent the signal).
  const statusNow = dropletStatus.get(item.dropletId);
  if (action?.status === 'completed') {
    event = { type: 'completed', actionId, completedAt, dropletStatus: statusNow };
  } else if (action?.status === 'errored') {
    const target = powerStateAfter(item.type as ActionType);
    // A bulk request by tag cannot leave out droplets already in the state; what the policy wanted is there.
    const alreadyThere = target !== undefined && dropletStatus.get(item.dropletId) === target;
    const message = `DigitalOcean reports action ${actionId} (${item.type}) errored`;
    event = {
      type: 'errored',
      actionId,
      completedAt,
      alreadyThere,
      dropletStatus: statusNow,
      error: { code: 'action_errored', message },
    };
  } else if (action && item.timeoutAt !== undefined && now.getTime() >= Date.parse(item.timeoutAt)) {
    // Only an action seen still running is timed out: one this pass could not look at may well
    // have finished, and gets its look first thing next pass.
    const minutes =
      item.timeoutMinutes ??
      Math.round((Date.parse(item.timeoutAt) - Date.parse(item.startedAt ?? item.claimedAt)) / 60_000);
    const message = `expected ${item.type} to finish within ${minutes} minutes, got: ${action.status}`;
    event = { type: 'timed-out', actionId, dropletStatus: statusNow, error: { code: 'timed_out', message } };
  } else if (missing) {
    const message = `DigitalOcean has no action ${actionId}`;
    event = { type: 'errored', actionId, completedAt, error: { code: 'not_found', message } };
  } else {
    tally.stillOpen += 1;
    // Unseen this pass (the lookup budget ran out): it stays due as it is, first in line next pass.
    if (action)
      await commit(
        deps,
        idOf(item),
        { type: 'check', actionId, dueAt: nextCheckDueAt(deps, item, now) },
        item,
      );
    return;
  }
  const settled = await commit(deps, idOf(item), event, item);
  if (!settled.ok) {
    tally.alreadySettled += 1;
    return;
  }
  const status = settled.item.status;
  if (status === 'completed') tally.completed += 1;
  else if (status === 'errored') tally.errored += 1;
  else if (status === 'timed-out') tally.timedOut += 1;
  else tally.skipped += 1;
  count(tally, await runEffects(deps, settled.item));
}

function count(tally: Tally, effects: Awaited<ReturnType<typeof runEffects>>): void {
  if (effects.done.includes('next-step')) tally.followUpsQueued += 1;
  tally.snapshotsDeleted += effects.snapshotsDeleted;
  if (effects.failed.length > 0) {
    tally.failures += effects.failed.length;
    const first = effects.failed[0];
    tally.firstFailure ??= `${first?.effect}: ${first?.error instanceof Error ? first.error.message : String(first?.error)}`;
  }
}

/** A retention deletion whose holder went away: claimed again, and its DELETE sent (it is idempotent). */
async function resumeDeletion(
  deps: UseCaseDependencies,
  item: SnapshotDeletionRecord,
  tally: Tally,
): Promise<void> {
  const { kind: _kind, ...init } = item;
  const claimed = await commit(
    deps,
    idOf(item),
    { type: 'claim', init: { kind: 'snapshot-deletion', ...init } },
    item,
  );
  if (!claimed.ok) return;
  if (await deleteSnapshot(deps, claimed.item as SnapshotDeletionRecord)) tally.snapshotsDeleted += 1;
}

/**
 * When to look again at an action still running: the wait is planned in DigitalOcean's time (the
 * elapsed time is scaled up first), then rounded up to a shared slot on our clock.
 */
function nextCheckDueAt(deps: UseCaseDependencies, item: ActionRecord, now: Date): string {
  const scale = deps.timing.timeScale;
  const elapsedMs = (now.getTime() - Date.parse(item.startedAt ?? item.claimedAt)) * scale;
  const waitMs = checkWaitMs(item.type as ActionType, elapsedMs) / scale;
  return new Date(alignToSlot(now.getTime() + waitMs, waitMs, 60_000 / scale)).toISOString();
}
