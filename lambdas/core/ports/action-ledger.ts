import type { ActionType } from '../actions/action-catalog';
import type { ActionRecord, SnapshotRetention } from '../ledger/action-record';
import type { LedgerError, LedgerKey } from '../ledger/ledger-record-base';
import type { DropletLedgerRecord, LedgerRecord } from '../ledger/ledger-record';
import type { LedgerStatus, OpenStatus, TerminalStatus } from '../ledger/ledger-status';
import type { RunCounts, RunMode, RunRecord, RunStatus } from '../ledger/run-record';
import type { SnapshotDeletionRecord } from '../ledger/snapshot-deletion-record';

/** A run to claim: the first write of a tick. */
export interface NewRun {
  readonly policy: string;
  /** The tick, `<aws.scheduler.scheduled-time>`; any ISO 8601 form, stored normalised. */
  readonly scheduledTime: string;
  readonly type: ActionType;
  /**
   * `skipped` (with a `reason`) records a tick that has nothing to do, e.g. a skip date.
   * @default 'dispatching'
   */
  readonly status?: RunStatus;
  readonly mode?: RunMode;
  readonly targetCount?: number;
  readonly reason?: string;
  readonly executionId?: string;
  /** For a `dispatching` run: when it counts as abandoned; it is on the `open` index until then. */
  readonly dueAt?: string;
  /** The policy as dispatched, for whoever finishes an abandoned run. */
  readonly policyDefinition?: unknown;
}

/** What a dispatch learns after the claim; only the fields given change (`counts` is replaced as a whole). */
export interface RunChanges {
  /** A later abandonment deadline: whoever takes over an abandoned run moves it on, once. */
  readonly dueAt?: string;
  readonly status?: RunStatus;
  readonly mode?: RunMode;
  readonly targetCount?: number;
  readonly counts?: RunCounts;
  readonly reason?: string;
}

/** What the ledger needs to know about one droplet's action, whatever becomes of it. */
export interface ActionDescription {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly dropletName?: string;
  readonly region?: string;
  readonly type: ActionType;
  /** The action's parameters besides `type`. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly diskGb?: number;
  readonly timeoutMinutes?: number;
  readonly fallback?: ActionType;
  readonly retention?: SnapshotRetention;
  /**
   * Set for a follow-up (the `power_off` after a timed-out `shutdown`): the item is then keyed
   * `...#FOLLOWUP#<type>` under the same tick and droplet, one per type.
   */
  readonly parentActionId?: number;
}

/** An action to claim before its POST. */
export interface NewAction extends ActionDescription {
  /** When the reconciler should look at the claim if nobody records the POST's answer (the grace period). */
  readonly dueAt: string;
  /** When to give up on the action. */
  readonly timeoutAt?: string;
}

/** How a tick's droplet ended without a DigitalOcean action. */
export type TerminalWithoutAction =
  | { readonly status: 'skipped'; readonly reason: string }
  | { readonly status: 'rejected'; readonly error: LedgerError; readonly reason?: string };

export interface StartedChanges {
  /** The `attempts` the caller claimed with; another value means someone else claimed again. */
  readonly expectedAttempts: number;
  readonly actionId: number;
  /** DigitalOcean's `started_at`. */
  readonly startedAt: string;
  /** When the reconciler should first check the action. */
  readonly dueAt: string;
  readonly timeoutAt?: string;
  readonly region?: string;
}

export interface RetryChanges {
  /** The `attempts` the stale claim was read with. */
  readonly expectedAttempts: number;
  /** When the reconciler should look again if this attempt's answer is lost too. */
  readonly dueAt: string;
}

export interface RescheduleChanges {
  /** The status the caller read; the update refuses to run if the item has moved on. */
  readonly expectedStatus: OpenStatus;
  /**
   * The attempt the caller holds; when given, the update also refuses to run once another
   * delivery has moved `attempts` on.
   * @default any attempt
   */
  readonly expectedAttempts?: number;
  readonly dueAt: string;
  readonly timeoutAt?: string;
  /**
   * Stamps the claim as about to send its POST (see `ActionRecord.sendingAt`).
   * @default left as it is
   */
  readonly sendingAt?: string;
  /**
   * The claim as the caller read it; when given, the update refuses to run once a delivery has
   * taken a new attempt or stamped a send since.
   * @default any attempt and stamp
   */
  readonly expectedClaim?: ClaimVersion;
}

/** A claim as its reader saw it: which attempt it was on, and when that attempt last stamped a send. */
export interface ClaimVersion {
  readonly attempts: number;
  readonly sendingAt?: string;
}

export interface TerminalChanges {
  readonly status: TerminalStatus;
  /**
   * The claim as the caller read it; when given, nothing is written (`transitioned: false`) if a
   * delivery has since taken a new attempt or stamped a send, since its POST may be on the wire.
   * @default any open item
   */
  readonly expectedClaim?: ClaimVersion;
  /** DigitalOcean's `completed_at`, or when the ledger gave up. */
  readonly completedAt?: string;
  readonly error?: LedgerError;
  readonly reason?: string;
  /** An action id adopted on the way (a stale claim whose action turned out to have finished). */
  readonly actionId?: number;
  readonly startedAt?: string;
}

/** A bulk-by-tag POST's answer: one action per droplet, all written directly as `in-progress`. */
export interface BulkActions {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly type: ActionType;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly dueAt: string;
  readonly timeoutAt?: string;
  readonly timeoutMinutes?: number;
  readonly fallback?: ActionType;
  readonly retention?: SnapshotRetention;
  readonly actions: readonly {
    readonly dropletId: number;
    readonly actionId: number;
    readonly startedAt: string;
    readonly dropletName?: string;
    readonly region?: string;
    readonly diskGb?: number;
  }[];
}

/** A retention deletion to record. */
export interface NewSnapshotDeletion {
  readonly policy: string;
  /** The tick whose snapshot triggered the retention. */
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly snapshotId: number | string;
  readonly snapshotName: string;
  readonly snapshotCreatedAt: string;
  readonly deletedAt: string;
  readonly status: SnapshotDeletionRecord['status'];
  readonly error?: LedgerError;
}

export type ClaimResult<T> =
  { readonly claimed: true; readonly record: T } | { readonly claimed: false; readonly existing: T };

export type RecordResult<T> =
  { readonly recorded: true; readonly record: T } | { readonly recorded: false; readonly existing: T };

export type TransitionResult =
  | { readonly transitioned: true; readonly record: ActionRecord }
  | { readonly transitioned: false; readonly existing: ActionRecord };

export interface PageOptions {
  /**
   * Most items in one page; between 1 and 1000.
   * @default 100
   */
  readonly limit?: number;
  /** The `cursor` of the previous page of the same query. */
  readonly cursor?: string;
}

/** Both ends included; ISO 8601. */
export interface TimeRange {
  /** @default the beginning */
  readonly from?: string;
  /** @default the end */
  readonly to?: string;
}

/**
 * One page of a query. A `cursor` means there may be more (the next page can be empty); no cursor
 * means the query is done.
 */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

/**
 * The action ledger: one item per (policy, tick, droplet), whose key is the idempotency key of
 * starting that action. Every write that a retry can repeat is a single-item conditional write.
 * A write whose condition fails throws `LedgerConflictError`, except where races are the normal
 * case (claims, terminal transitions, records), which answer with a result value instead.
 * Every query is a DynamoDB `Query` (never a `Scan`) and pages with an opaque cursor.
 */
export interface ActionLedger {
  /** Claims a tick of a policy. The same tick delivered twice answers `{ claimed: false, existing }`. */
  claimRun(run: NewRun): Promise<ClaimResult<RunRecord>>;

  /** Records what the dispatch learned; the run must exist (and be in `expectedStatus` when given). */
  updateRun(
    key: LedgerKey,
    changes: RunChanges,
    options?: { readonly expectedStatus?: RunStatus; readonly expectedDueAt?: string },
  ): Promise<RunRecord>;

  /** Claims one droplet's action before its POST: `pending`, `attempts` 1, on the open index from `dueAt`. */
  claimAction(action: NewAction): Promise<ClaimResult<ActionRecord>>;

  /**
   * Records that no DigitalOcean action exists, or ever will, for this droplet in this tick:
   * a new item, or a `pending` claim, becomes `skipped` or `rejected`. Any other existing item is left
   * alone and returned as `existing`.
   */
  recordTerminalWithoutAction(
    action: ActionDescription,
    outcome: TerminalWithoutAction,
  ): Promise<RecordResult<ActionRecord>>;

  /** `pending` with `expectedAttempts` -> `in-progress` with DigitalOcean's action id. */
  markStarted(key: LedgerKey, changes: StartedChanges): Promise<ActionRecord>;

  /**
   * A stale `pending` claim whose action DigitalOcean never started: `attempts` + 1, so that exactly
   * one reconciler goes on to POST again.
   */
  retryClaim(key: LedgerKey, changes: RetryChanges): Promise<ActionRecord>;

  /** Puts an open item back on the open index at a later `dueAt` (and counts the check). */
  reschedule(key: LedgerKey, changes: RescheduleChanges): Promise<ActionRecord>;

  /**
   * `pending` or `in-progress` -> a terminal status, off the open index. Of several concurrent calls
   * exactly one answers `transitioned: true`, so exactly one event is emitted. Throws
   * `LedgerConflictError` only when the item does not exist.
   */
  markTerminal(key: LedgerKey, changes: TerminalChanges): Promise<TransitionResult>;

  /** Writes a bulk POST's actions as `in-progress`; items already present are left alone. */
  recordBulkActions(
    bulk: BulkActions,
  ): Promise<{ readonly recorded: ActionRecord[]; readonly alreadyPresent: LedgerKey[] }>;

  /** Records a retention deletion once; a second record of the same snapshot answers `existing`. */
  recordSnapshotDeletion(deletion: NewSnapshotDeletion): Promise<RecordResult<SnapshotDeletionRecord>>;

  /** One item by key (a strongly consistent read). */
  get(key: LedgerKey): Promise<LedgerRecord | undefined>;

  /** `pending` and `in-progress` actions whose `dueAt` is at or before `now`, across every open shard. */
  findOpenDue(now: string, options?: PageOptions): Promise<Page<ActionRecord>>;

  /**
   * `dispatching` runs whose `dueAt` has passed: their dispatch was abandoned (it crashed) and must
   * be finished. They share the `open` index with actions.
   */
  findAbandonedRuns(now: string, options?: PageOptions): Promise<Page<RunRecord>>;

  /** A droplet's actions and snapshot deletions, oldest first, by when the ledger first recorded them. */
  queryByDroplet(dropletId: number, options?: TimeRange & PageOptions): Promise<Page<DropletLedgerRecord>>;

  /** Everything a policy did in the ticks from `from` to `to`, in key order (tick, then droplet). */
  queryByPolicy(policy: string, options?: TimeRange & PageOptions): Promise<Page<LedgerRecord>>;

  /** Action and deletion items in `status` last updated between `from` and `to`, oldest first. */
  queryByStatus(
    status: LedgerStatus,
    options: Required<TimeRange> & PageOptions,
  ): Promise<Page<DropletLedgerRecord>>;
}
