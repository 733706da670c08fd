import type { Droplet } from '../ports/droplet-api';
import { nextStepIndex, powerStateAfterStep, type StepOutcome, type StepType } from '../workflow/workflow';
import type { ActionRecord } from '../ledger/action-record';
import type { Effect, LedgerError, LedgerItemKind } from '../ledger/ledger-record-base';
import type { LedgerItem } from '../ledger/ledger-record';
import type { LedgerStatus } from '../ledger/ledger-status';
import type { OverrideRecord, OverrideStatus } from '../ledger/override-record';
import { canonicalTick, toLedgerTime } from '../ledger/ledger-time';
import type { RunCounts, RunMode, RunRecord, RunStatus } from '../ledger/run-record';
import type { SnapshotDeletionRecord } from '../ledger/snapshot-deletion-record';
import type { LineageAliasRecord, LineageRecord, LineageStatus, WorkflowRef } from '../ledger/lineage-record';
import type { NewAction, NewAlias, NewDeletion, NewItem, NewLineage, NewOverride, NewRun } from './new-item';
import type { Timing } from './timing';

/**
 * The ledger's state machine: every item of every kind (run, action or later step, snapshot
 * deletion) moves only through the rows of `TRANSITIONS`, and `transition` is the only code that
 * decides what may follow what. It is pure: it takes the item as stored (or nothing, for an item
 * not yet written) and an event, and answers the next item or why not. Adapters persist its answer
 * with a create-if-absent or a compare-and-set on `version`, so two writers never both win.
 *
 * A claim is a lease. Whoever holds an item's current attempt may send requests until the lease
 * ends (less a margin, see `Timing`) and record their answers; after it, anyone may claim the next
 * attempt, and looks at DigitalOcean first if the last attempt's request may have been sent.
 * `docs/architecture.md` shows this table; a test fails when the two differ.
 */

/** Every state an item can be in, and `absent` before its first write. */
export type State =
  'absent' | RunStatus | LedgerStatus | LineageStatus | LineageAliasRecord['status'] | OverrideStatus;

/** An action DigitalOcean started, as the ledger records it. */
export interface StartedAction {
  readonly actionId: number;
  /** DigitalOcean's `started_at`. */
  readonly startedAt: string;
  readonly region?: string;
  /** When the reconciler should first look at it. */
  readonly dueAt: string;
  readonly timeoutAt?: string;
}

/** An action of a newer tick (of any policy) on the same droplet, since the step before this one started. */
export interface NewerAction {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly type: StepType;
}

export type LedgerEvent =
  /** Take the item's next attempt; creates it when absent. */
  | {
      readonly type: 'claim';
      readonly init: NewItem;
      readonly executionId?: string;
      /** For a later step: a newer tick's action on the droplet, which this step must not undo. */
      readonly newer?: NewerAction;
    }
  /** The holder gives the claim back until `retryAt`: nothing was sent (`not-sent`), or the answer was lost. */
  | {
      readonly type: 'release';
      readonly attempts: number;
      readonly retryAt: string;
      readonly lastAttempt: 'unknown' | 'not-sent';
    }
  /** DigitalOcean answered the holder's POST with an action. */
  | { readonly type: 'started'; readonly attempts: number; readonly action: StartedAction }
  /** One droplet's action of a bulk request, recorded by the dispatch that holds the run. */
  | { readonly type: 'bulk-started'; readonly init: NewItem; readonly action: StartedAction }
  /**
   * Someone about to adopt an action this item may have sent makes sure no late write of this
   * item's ended claim can still land: the version moves on, nothing else changes.
   */
  | { readonly type: 'fence' }
  /** The holder found the action a lost answer had started, and wrote itself as the action's owner first. */
  | {
      readonly type: 'adopted';
      readonly attempts: number;
      readonly action: StartedAction;
      /** Whether the action's owner item names this item. */
      readonly owned: boolean;
    }
  | {
      readonly type: 'skip';
      readonly attempts?: number;
      readonly init?: NewItem;
      readonly reason: string;
      /** Nothing of the droplet's workflow may follow (a park that would lose what its policy keeps). */
      readonly stop?: boolean;
    }
  /** The holder carried out a parking operation; `result` says what it found or did. */
  | { readonly type: 'done'; readonly attempts: number; readonly result: string }
  | {
      readonly type: 'reject';
      readonly attempts?: number;
      readonly init?: NewItem;
      readonly error: LedgerError;
    }
  /** The holder looked, found no action, and the action's time is up. */
  | { readonly type: 'give-up'; readonly attempts: number; readonly error: LedgerError }
  /** The reconciler saw the action still running, or could not look: look again at `dueAt`. */
  | { readonly type: 'check'; readonly actionId: number; readonly dueAt: string }
  | {
      readonly type: 'completed';
      readonly actionId: number;
      readonly completedAt: string;
      /** The droplet's power state now, when the next step depends on it (`needsDropletStatus`). */
      readonly dropletStatus?: Droplet['status'];
    }
  | {
      readonly type: 'errored';
      readonly actionId: number;
      readonly completedAt: string;
      readonly error: LedgerError;
      /** The droplet is already in the state the (power) action leads to: what the policy wanted. */
      readonly alreadyThere?: boolean;
      readonly dropletStatus?: Droplet['status'];
    }
  | {
      readonly type: 'timed-out';
      readonly actionId: number;
      readonly error: LedgerError;
      readonly dropletStatus?: Droplet['status'];
    }
  | {
      readonly type: 'dispatched';
      readonly attempts: number;
      readonly mode: RunMode;
      readonly targetCount: number;
      readonly counts: RunCounts;
    }
  | {
      readonly type: 'fail';
      readonly attempts: number;
      readonly reason: string;
      /** When the reconciler should try the tick again; absent: only a new delivery of it will. */
      readonly retryAt?: string;
      /** `not-sent` when the dispatch failed before any request that starts actions. @default 'unknown' */
      readonly lastAttempt?: 'unknown' | 'not-sent';
    }
  | { readonly type: 'deleted'; readonly attempts: number; readonly deletedAt: string }
  | { readonly type: 'effects-done'; readonly done: readonly Effect[] }
  /** A park confirmed its snapshot and read the droplet's specification: its destroy may follow. */
  | { readonly type: 'park-recorded'; readonly init: NewLineage }
  /** The park's destroy is done: DigitalOcean no longer has the droplet. */
  | {
      readonly type: 'destroyed';
      readonly holder: WorkflowRef;
      readonly dropletId: number;
      readonly at: string;
    }
  /** An unpark takes the right to create the lineage's droplet, before any request. */
  | {
      readonly type: 'reserve-create';
      readonly holder: WorkflowRef;
      readonly scheduledTime: string;
      /** The step that held it before has finished (it can create nothing any more). */
      readonly holderFinished: boolean;
    }
  /** The holder's create answered (or was found by name): the lineage has a droplet again. */
  | {
      readonly type: 'created';
      readonly holder: WorkflowRef;
      readonly dropletId: number;
      readonly at: string;
    }
  /** The holder gives the right back without having created anything (the name was taken, say). */
  | { readonly type: 'release-create'; readonly holder: WorkflowRef }
  | { readonly type: 'snapshots-pruned'; readonly ids: readonly number[] }
  | { readonly type: 'alias'; readonly init: NewAlias }
  /** A person snoozes a policy or one of its droplets (`droplet-scheduler snooze`). */
  | { readonly type: 'snooze'; readonly init: NewOverride }
  /** A person ends an override before its time (`snooze --cancel`). */
  | { readonly type: 'cancel' };

export type EventType = LedgerEvent['type'];

export interface TransitionContext {
  readonly now: Date;
  readonly timing: Timing;
}

export type Transition =
  | { readonly ok: true; readonly item: LedgerItem; readonly row: Row }
  | { readonly ok: false; readonly refusal: string };

/** A named condition on the item as stored and the event. */
interface Guard {
  readonly text: string;
  readonly test: (item: LedgerItem | undefined, event: LedgerEvent, context: TransitionContext) => boolean;
}

/** An effect the write owes always, or only when its condition holds. */
export type EffectRule = Effect | { readonly effect: Effect; readonly when: Guard };

/** One row of the table: in `from`, on `on`, when `guard` holds, the item moves to `to` and owes `effects`. */
export interface Row {
  readonly kind: LedgerItemKind;
  readonly from: State;
  readonly on: EventType;
  readonly to: State;
  readonly guard?: Guard;
  readonly effects: readonly EffectRule[];
}

const holder: Guard = {
  text: 'holds the attempt',
  test: (item, event) => 'attempts' in event && claimOf(item)?.attempts === event.attempts,
};

const holderInLease: Guard = {
  text: 'holds the attempt, lease not ended',
  test: (item, event, context) =>
    holder.test(item, event, context) && Date.parse(claimOf(item)?.leaseUntil ?? '') > context.now.getTime(),
};

const holderOwnsAction: Guard = {
  text: "holds the attempt, named in the action's owner item",
  test: (item, event, context) =>
    holder.test(item, event, context) && event.type === 'adopted' && event.owned,
};

const leaseEnded: Guard = {
  text: 'the lease has ended',
  test: (item, _event, { now, timing }) => timing.leaseExpired(claimOf(item)?.leaseUntil, now),
};

const newerTickActed: Guard = {
  text: 'a newer tick acted on the droplet since the step before started',
  test: (_item, event) => event.type === 'claim' && event.newer !== undefined,
};

const nothingNewer: Guard = {
  text: 'no newer tick acted on the droplet since the step before started',
  test: (_item, event) => event.type === 'claim' && event.newer === undefined,
};

const holderPastTimeout: Guard = {
  text: 'holds the attempt, past the timeout',
  test: (item, event, context) =>
    holder.test(item, event, context) &&
    Date.parse((item as ActionRecord | undefined)?.timeoutAt ?? '') <= context.now.getTime(),
};

const sameAction: Guard = {
  text: 'the same action',
  test: (item, event) =>
    'actionId' in event && (item as ActionRecord | undefined)?.actionId === event.actionId,
};

/** The step that follows this one in the droplet's workflow after the event, if one does. */
function followingStep(item: LedgerItem | undefined, event: LedgerEvent): number | undefined {
  const action = item as ActionRecord | undefined;
  if (action?.workflow === undefined) return undefined;
  const dropletStatus = 'dropletStatus' in event ? event.dropletStatus : undefined;
  return nextStepIndex(action.workflow, action.step ?? 0, outcomeOf(event), dropletStatus);
}

/** What an event means for the rest of the workflow. */
function outcomeOf(event: LedgerEvent): StepOutcome {
  switch (event.type) {
    case 'completed':
    case 'done':
      return 'succeeded';
    case 'skip':
      return event.stop ? 'stopped' : 'succeeded';
    case 'errored':
      return event.alreadyThere ? 'succeeded' : 'failed';
    case 'claim':
      return 'stopped';
    default:
      return 'failed';
  }
}

const stepFollows: Guard = {
  text: 'a later step follows',
  test: (item, event) => followingStep(item, event) !== undefined,
};

const snapshotRetention: Guard = {
  text: 'a snapshot with retention',
  test: (item) =>
    (item as ActionRecord | undefined)?.type === 'snapshot' && (item as ActionRecord).retention !== undefined,
};

const alreadyThere: Guard = {
  text: 'the same action; the droplet is already in the state it leads to',
  test: (item, event, context) =>
    sameAction.test(item, event, context) && event.type === 'errored' && event.alreadyThere === true,
};

const hasOutbox: Guard = {
  text: 'effects left to do',
  test: (item) => (item?.outbox?.length ?? 0) > 0,
};

const overrideInForce: Guard = {
  text: 'its until has not passed',
  test: (item, _event, { now }) =>
    Date.parse((item as OverrideRecord | undefined)?.until ?? '') > now.getTime(),
};

const sameDroplet: Guard = {
  text: "the lineage's current droplet",
  test: (item, event) =>
    event.type === 'park-recorded' && lineageOf(item)?.dropletId === event.init.dropletId,
};

const sameHolder: Guard = {
  text: 'held by the same workflow',
  test: (item, event) => {
    const held = lineageOf(item)?.holder;
    return 'holder' in event && held !== undefined && sameWorkflow(held, event.holder);
  },
};

const sameParkAndDroplet: Guard = {
  text: 'recorded by the same park, the same droplet',
  test: (item, event, context) =>
    sameHolder.test(item, event, context) &&
    event.type === 'destroyed' &&
    lineageOf(item)?.dropletId === event.dropletId,
};

const heldOrHolderFinished: Guard = {
  text: 'held by the same workflow, or its holder has finished',
  test: (item, event, context) =>
    sameHolder.test(item, event, context) || (event.type === 'reserve-create' && event.holderFinished),
};

const listsSnapshot: Guard = {
  text: 'lists one of them',
  test: (item, event) =>
    event.type === 'snapshots-pruned' &&
    (lineageOf(item)?.snapshots ?? []).some((known) => event.ids.includes(known.id)),
};

const TERMINAL_ACTION_STATES = ['completed', 'errored', 'timed-out', 'rejected', 'skipped'] as const;
const LINEAGE_STATES = ['parking', 'parked', 'unparking', 'active'] as const;

const nextStep: EffectRule = { effect: 'next-step', when: stepFollows };
const retention: EffectRule = { effect: 'retention', when: snapshotRetention };

/** The whole state machine. Rows are tried in order; the first whose guard holds applies. */
// prettier-ignore
export const TRANSITIONS: readonly Row[] = [
  // A run: one tick of one policy.
  { kind: 'run', from: 'absent', on: 'claim', to: 'dispatching', effects: [] },
  { kind: 'run', from: 'dispatching', on: 'claim', to: 'dispatching', guard: leaseEnded, effects: [] },
  { kind: 'run', from: 'failed', on: 'claim', to: 'dispatching', effects: [] },
  { kind: 'run', from: 'absent', on: 'skip', to: 'skipped', effects: [] },
  { kind: 'run', from: 'dispatching', on: 'skip', to: 'skipped', guard: holder, effects: [] },
  { kind: 'run', from: 'dispatching', on: 'dispatched', to: 'dispatched', guard: holder, effects: [] },
  { kind: 'run', from: 'dispatching', on: 'fail', to: 'failed', guard: holder, effects: [] },

  // An action, or a later step of the droplet's workflow in the same tick.
  { kind: 'action', from: 'absent', on: 'claim', to: 'skipped', guard: newerTickActed, effects: ['event'] },
  { kind: 'action', from: 'absent', on: 'claim', to: 'pending', guard: nothingNewer, effects: [] },
  { kind: 'action', from: 'pending', on: 'claim', to: 'pending', guard: leaseEnded, effects: [] },
  { kind: 'action', from: 'pending', on: 'fence', to: 'pending', guard: leaseEnded, effects: [] },
  { kind: 'action', from: 'pending', on: 'release', to: 'pending', guard: holder, effects: [] },
  { kind: 'action', from: 'pending', on: 'started', to: 'in-progress', guard: holderInLease, effects: [] },
  { kind: 'action', from: 'pending', on: 'adopted', to: 'in-progress', guard: holderOwnsAction, effects: [] },
  { kind: 'action', from: 'absent', on: 'bulk-started', to: 'in-progress', effects: [] },
  { kind: 'action', from: 'absent', on: 'skip', to: 'skipped', effects: ['event', nextStep] },
  { kind: 'action', from: 'pending', on: 'skip', to: 'skipped', guard: holder, effects: ['event', nextStep] },
  { kind: 'action', from: 'absent', on: 'reject', to: 'rejected', effects: ['event', nextStep] },
  { kind: 'action', from: 'pending', on: 'reject', to: 'rejected', guard: holder, effects: ['event', nextStep] },
  { kind: 'action', from: 'pending', on: 'give-up', to: 'timed-out', guard: holderPastTimeout, effects: ['event', nextStep] },
  { kind: 'action', from: 'pending', on: 'done', to: 'completed', guard: holder, effects: ['event', nextStep] },
  { kind: 'action', from: 'in-progress', on: 'check', to: 'in-progress', guard: sameAction, effects: [] },
  { kind: 'action', from: 'in-progress', on: 'completed', to: 'completed', guard: sameAction, effects: ['event', nextStep, retention] },
  { kind: 'action', from: 'in-progress', on: 'errored', to: 'skipped', guard: alreadyThere, effects: ['event', nextStep] },
  { kind: 'action', from: 'in-progress', on: 'errored', to: 'errored', guard: sameAction, effects: ['event', nextStep] },
  { kind: 'action', from: 'in-progress', on: 'timed-out', to: 'timed-out', guard: sameAction, effects: ['event', nextStep] },
  ...TERMINAL_ACTION_STATES.map((state): Row => ({ kind: 'action', from: state, on: 'effects-done', to: state, guard: hasOutbox, effects: [] })),

  // A snapshot deletion by retention.
  { kind: 'snapshot-deletion', from: 'absent', on: 'claim', to: 'pending', effects: [] },
  { kind: 'snapshot-deletion', from: 'pending', on: 'claim', to: 'pending', guard: leaseEnded, effects: [] },
  { kind: 'snapshot-deletion', from: 'pending', on: 'release', to: 'pending', guard: holder, effects: [] },
  { kind: 'snapshot-deletion', from: 'pending', on: 'deleted', to: 'completed', guard: holder, effects: ['event'] },
  { kind: 'snapshot-deletion', from: 'pending', on: 'reject', to: 'rejected', guard: holder, effects: [] },
  { kind: 'snapshot-deletion', from: 'completed', on: 'effects-done', to: 'completed', guard: hasOutbox, effects: [] },

  // A droplet's lineage: its identity across parks (see lambdas/core/parking/).
  { kind: 'lineage', from: 'absent', on: 'park-recorded', to: 'parking', effects: [] },
  { kind: 'lineage', from: 'active', on: 'park-recorded', to: 'parking', guard: sameDroplet, effects: [] },
  { kind: 'lineage', from: 'parking', on: 'park-recorded', to: 'parking', guard: sameDroplet, effects: [] },
  { kind: 'lineage', from: 'parking', on: 'destroyed', to: 'parked', guard: sameParkAndDroplet, effects: [] },
  { kind: 'lineage', from: 'parked', on: 'reserve-create', to: 'unparking', effects: [] },
  { kind: 'lineage', from: 'unparking', on: 'reserve-create', to: 'unparking', guard: heldOrHolderFinished, effects: [] },
  { kind: 'lineage', from: 'unparking', on: 'created', to: 'active', guard: sameHolder, effects: [] },
  { kind: 'lineage', from: 'unparking', on: 'release-create', to: 'parked', guard: sameHolder, effects: [] },
  ...LINEAGE_STATES.map((state): Row => ({ kind: 'lineage', from: state, on: 'snapshots-pruned', to: state, guard: listsSnapshot, effects: [] })),
  { kind: 'lineage-alias', from: 'absent', on: 'alias', to: 'recorded', effects: [] },

  // An override (a snooze). It expires by time, with no write: dispatch compares `until` with the tick.
  { kind: 'override', from: 'absent', on: 'snooze', to: 'active', effects: [] },
  { kind: 'override', from: 'active', on: 'cancel', to: 'cancelled', guard: overrideInForce, effects: [] },
];

/**
 * The next item, or why not. `item` is the item as stored (undefined when there is none yet); the
 * caller persists the answer with a create-if-absent (from `absent`) or a compare-and-set on the
 * stored `version`, and asks again with a fresh read when that write loses a race.
 */
export function transition(
  item: LedgerItem | undefined,
  event: LedgerEvent,
  context: TransitionContext,
): Transition {
  const from: State = item?.status ?? 'absent';
  const kind = item?.kind ?? initOf(event)?.kind;
  if (kind === undefined) return { ok: false, refusal: `expected an item to ${event.type}, found none` };
  const candidates = TRANSITIONS.filter(
    (row) => row.kind === kind && row.from === from && row.on === event.type,
  );
  const row = candidates.find((candidate) => candidate.guard?.test(item, event, context) ?? true);
  if (row === undefined) {
    const wanted = candidates.map((candidate) => candidate.guard?.text).filter(Boolean);
    return {
      ok: false,
      refusal:
        candidates.length === 0
          ? `${event.type}: not allowed from ${describeState(item)}`
          : `${event.type}: expected ${wanted.join(' or ')}, found ${describeState(item)}`,
    };
  }
  return { ok: true, row, item: apply(item, event, row, context) };
}

/**
 * Whether whoever just claimed `previous` (the item as it was before the claim) must look at
 * DigitalOcean before sending: the attempt before may have sent its request, and its answer was
 * never recorded.
 */
export function mustLookFirst(previous: LedgerItem | undefined): boolean {
  const claim = claimOf(previous);
  return claim !== undefined && claim.attempts > 0 && claim.lastAttempt !== 'not-sent';
}

/** What a refusal shows of the item it found. */
export function describeState(item: LedgerItem | undefined): string {
  if (item === undefined) return 'no item';
  const claim = claimOf(item);
  const lease = claim?.leaseUntil ? `, lease until ${claim.leaseUntil}` : '';
  const attempt = typeof claim?.attempts === 'number' ? `, attempt ${claim.attempts}${lease}` : '';
  return `${item.kind} ${item.status}${attempt}`;
}

function apply(item: LedgerItem | undefined, event: LedgerEvent, row: Row, context: TransitionContext) {
  const { now, timing } = context;
  const at = now.toISOString();
  const base = item ?? created(initOf(event) as NewItem, at);
  const next: Draft = { ...base, status: row.to, version: (item?.version ?? 0) + 1, updatedAt: at };
  switch (event.type) {
    case 'claim': {
      const lease = row.kind === 'run' ? timing.runLeaseMs : timing.actionLeaseMs;
      if (row.to === 'skipped') {
        const newer = event.newer as NewerAction;
        next.reason =
          `${newer.policy}'s tick ${newer.scheduledTime} started ${newer.type} on the droplet since ` +
          'the step before this one; this step would undo it';
        next.completedAt = at;
        next.attempts = 0;
        break;
      }
      next.attempts = (claimOf(item)?.attempts ?? 0) + 1;
      next.leaseUntil = timing.after(now, lease);
      // This attempt may send its request from now on; only a release can say it did not.
      next.lastAttempt = 'unknown';
      if (event.executionId !== undefined) next.executionId = event.executionId;
      // A failed run keeps why it failed until it is dispatched, so that audit can say so.
      if (row.kind !== 'run') delete next.reason;
      break;
    }
    case 'release':
      next.leaseUntil = toLedgerTime(event.retryAt, 'retryAt');
      next.lastAttempt = event.lastAttempt;
      break;
    case 'started':
    case 'adopted':
    case 'bulk-started':
      next.actionId = event.action.actionId;
      next.startedAt = toLedgerTime(event.action.startedAt, 'startedAt');
      if (event.action.region !== undefined) next.region = event.action.region;
      if (event.action.timeoutAt !== undefined)
        next.timeoutAt = toLedgerTime(event.action.timeoutAt, 'timeoutAt');
      delete next.leaseUntil;
      delete next.lastAttempt;
      break;
    case 'skip':
      next.reason = event.reason;
      next.completedAt = at;
      if (item === undefined) next.attempts = 0;
      break;
    case 'reject':
      next.lastError = event.error;
      next.completedAt = at;
      if (item === undefined) next.attempts = 0;
      break;
    case 'give-up':
    case 'timed-out':
      next.lastError = event.error;
      next.completedAt = at;
      break;
    case 'check':
      next.checks = (next.checks ?? 0) + 1;
      break;
    case 'completed':
      next.completedAt = toLedgerTime(event.completedAt, 'completedAt');
      break;
    case 'errored':
      next.completedAt = toLedgerTime(event.completedAt, 'completedAt');
      if (event.alreadyThere) {
        next.reason = `droplet already ${(next.type && powerStateAfterStep(next.type)) ?? 'there'}; DigitalOcean's action ${next.actionId} for it errored`;
      } else {
        next.lastError = event.error;
      }
      break;
    case 'dispatched':
      next.mode = event.mode;
      next.targetCount = event.targetCount;
      next.counts = event.counts;
      if (next.reason !== undefined)
        next.reason = `dispatched on attempt ${next.attempts}, after: ${next.reason}`;
      break;
    case 'fail':
      next.reason = event.reason;
      next.lastAttempt = event.lastAttempt ?? 'unknown';
      break;
    case 'deleted':
      next.deletedAt = toLedgerTime(event.deletedAt, 'deletedAt');
      break;
    case 'effects-done':
      next.outbox = (next.outbox ?? []).filter((effect: Effect) => !event.done.includes(effect));
      break;
    case 'done':
      next.result = event.result;
      next.completedAt = at;
      break;
    case 'park-recorded': {
      const init = event.init;
      Object.assign(next, {
        policy: init.policy,
        scheduledTime: canonicalTick(init.scheduledTime),
        name: init.spec.name,
        spec: init.spec,
        snapshot: init.snapshot,
        holder: init.holder,
      });
      const known = next.snapshots ?? [];
      next.snapshots = known.some((kept) => kept.id === init.snapshot.id) ? known : [...known, init.snapshot];
      break;
    }
    case 'destroyed': {
      const lineage = next as LineageRecord;
      next.spells = [
        ...lineage.spells,
        compact({
          parkedAt: toLedgerTime(event.at, 'at'),
          priceHourly: lineage.spec.priceHourly,
          priceMonthly: lineage.spec.priceMonthly,
          snapshotSizeGb: lineage.snapshot.sizeGb,
        }),
      ];
      break;
    }
    case 'reserve-create':
      next.holder = event.holder;
      next.scheduledTime = canonicalTick(event.scheduledTime);
      break;
    case 'created': {
      const lineage = next as LineageRecord;
      next.dropletId = event.dropletId;
      if (!lineage.dropletIds.includes(event.dropletId))
        next.dropletIds = [...lineage.dropletIds, event.dropletId];
      next.spells = lineage.spells.map((spell, index) =>
        index === lineage.spells.length - 1 && spell.unparkedAt === undefined
          ? { ...spell, unparkedAt: toLedgerTime(event.at, 'at') }
          : spell,
      );
      break;
    }
    case 'snapshots-pruned':
      next.snapshots = (next.snapshots ?? []).filter((kept) => !event.ids.includes(kept.id));
      break;
    case 'snooze':
      break;
    case 'cancel':
      next.cancelledAt = at;
      break;
  }
  if (row.to !== row.from && row.effects.length > 0) {
    next.outbox = row.effects.flatMap((rule) =>
      typeof rule === 'string'
        ? [rule]
        : rule.when.test(item ?? (next as LedgerItem), event, context)
          ? [rule.effect]
          : [],
    );
    const following = followingStep(item ?? (next as LedgerItem), event);
    if (next.outbox.includes('next-step') && following !== undefined) next.nextStep = following;
  }
  if (next.outbox?.length === 0) delete next.outbox;
  const dueAt = dueAtOf(next as LedgerItem, event, context);
  if (dueAt === undefined) delete next.dueAt;
  else next.dueAt = dueAt;
  return next as LedgerItem;
}

/**
 * When the reconciler should next look at an item, or undefined once nothing is left to do (the
 * item then leaves the `open` index): a claim when its lease has surely ended, a running action at
 * its next check, a failed run at its retry, and a finished item whose effects are not done yet
 * once the writer has had time to do them.
 */
function dueAtOf(
  next: LedgerItem,
  event: LedgerEvent,
  { now, timing }: TransitionContext,
): string | undefined {
  if (next.outbox && next.outbox.length > 0) return timing.after(now, timing.effectsGraceMs);
  switch (next.status) {
    case 'pending':
    case 'dispatching':
      return timing.after(claimOf(next)?.leaseUntil as string, timing.clockSkewMs);
    case 'in-progress':
      if ('action' in event) return toLedgerTime(event.action.dueAt, 'dueAt');
      if (event.type === 'check') return toLedgerTime(event.dueAt, 'dueAt');
      return next.dueAt;
    case 'failed':
      return event.type === 'fail' && event.retryAt !== undefined
        ? toLedgerTime(event.retryAt, 'retryAt')
        : undefined;
    default:
      return undefined;
  }
}

/** A new item's fields before the event's own. */
function created(init: NewItem, at: string): LedgerItem {
  if (init.kind === 'override') return compact<OverrideRecord>(overrideFields(init, at));
  const common = {
    policy: init.policy,
    team: 'team' in init ? init.team : undefined,
    scheduledTime: canonicalTick(init.scheduledTime),
    claimedAt: at,
    updatedAt: at,
    version: 0,
    attempts: 0,
  };
  switch (init.kind) {
    case 'run':
      return compact<RunRecord>({ ...common, ...runFields(init), kind: 'run', status: 'dispatching' });
    case 'action':
      return compact<ActionRecord>({ ...common, ...actionFields(init), kind: 'action', status: 'pending' });
    case 'snapshot-deletion':
      return compact<SnapshotDeletionRecord>({
        ...common,
        ...deletionFields(init),
        kind: 'snapshot-deletion',
        status: 'pending',
      });
    case 'lineage':
      return compact<LineageRecord>({
        ...lineageFields(init),
        policy: common.policy,
        scheduledTime: common.scheduledTime,
        claimedAt: at,
        updatedAt: at,
        version: 0,
      });
    case 'lineage-alias':
      return {
        kind: 'lineage-alias',
        status: 'recorded',
        policy: common.policy,
        scheduledTime: common.scheduledTime,
        claimedAt: at,
        updatedAt: at,
        version: 0,
        dropletId: init.dropletId,
        lineageId: init.lineageId,
      };
  }
}

function runFields(init: NewRun) {
  return { type: init.type, mode: init.mode, policyDefinition: init.policyDefinition };
}

function actionFields(init: NewAction) {
  return {
    dropletId: init.dropletId,
    step: init.step === 0 ? undefined : init.step,
    dropletName: init.dropletName,
    region: init.region,
    type: init.type,
    params: init.params && Object.keys(init.params).length > 0 ? init.params : undefined,
    mode: init.mode,
    diskGb: init.diskGb,
    timeoutMinutes: init.timeoutMinutes,
    timeoutAt: init.timeoutAt === undefined ? undefined : toLedgerTime(init.timeoutAt, 'timeoutAt'),
    workflow: init.workflow,
    retention: init.retention,
    parentActionId: init.parentActionId,
  };
}

function deletionFields(init: NewDeletion) {
  return {
    dropletId: init.dropletId,
    snapshotId: init.snapshotId,
    snapshotName: init.snapshotName,
    snapshotCreatedAt: toLedgerTime(init.snapshotCreatedAt, 'snapshotCreatedAt'),
    rule: init.rule,
  };
}

function overrideFields(init: NewOverride, at: string): OverrideRecord {
  return {
    kind: 'override',
    policy: init.policy,
    team: init.team,
    key: init.key,
    dropletId: init.dropletId,
    until: toLedgerTime(init.until, 'until'),
    reason: init.reason,
    createdBy: init.createdBy,
    status: 'active',
    claimedAt: at,
    updatedAt: at,
    version: 0,
  };
}

function lineageFields(init: NewLineage) {
  return {
    kind: 'lineage' as const,
    status: 'parking' as const,
    lineageId: init.lineageId,
    dropletId: init.dropletId,
    dropletIds: [init.dropletId],
    name: init.spec.name,
    spec: init.spec,
    snapshot: init.snapshot,
    snapshots: [init.snapshot],
    spells: [],
    holder: init.holder,
  };
}

/** Whether two references name the same workflow (ticks compared as instants). */
export function sameWorkflow(left: WorkflowRef, right: WorkflowRef): boolean {
  return (
    left.policy === right.policy &&
    left.dropletId === right.dropletId &&
    canonicalTick(left.scheduledTime) === canonicalTick(right.scheduledTime)
  );
}

function lineageOf(item: LedgerItem | undefined): LineageRecord | undefined {
  return item?.kind === 'lineage' ? item : undefined;
}

function initOf(event: LedgerEvent): NewItem | undefined {
  return 'init' in event ? event.init : undefined;
}

function claimOf(
  item: LedgerItem | undefined,
): { attempts: number; leaseUntil?: string; lastAttempt?: string } | undefined {
  return item === undefined ? undefined : (item as ActionRecord);
}

/** Any item's fields, writable, while `apply` builds the next item. */
type Draft = { -readonly [K in keyof AnyFields]?: AnyFields[K] } & { status: State; kind: LedgerItemKind };
type AnyFields = Omit<ActionRecord, 'kind' | 'status'> &
  Omit<RunRecord, 'kind' | 'status' | 'type' | 'mode'> &
  Omit<SnapshotDeletionRecord, 'kind' | 'status' | 'lastError' | 'dropletId'> &
  Omit<LineageRecord, 'kind' | 'status' | 'dropletId'> &
  Pick<OverrideRecord, 'cancelledAt'> & { mode: RunMode };

// Absent optional fields are left out rather than stored as undefined, as DynamoDB would.
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
