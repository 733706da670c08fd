import type { StepType, Workflow } from '../workflow/workflow';
import type { ClaimFields, LedgerError, LedgerRecordBase } from './ledger-record-base';
import type { LedgerStatus } from './ledger-status';
import type { RunMode } from './run-record';

/**
 * What to keep after a snapshot completes; carried on the item so that the reconciler can apply
 * retention without the policy file.
 */
export interface SnapshotRetention {
  /** Keep the newest N snapshots this policy made of the droplet. */
  readonly keepLast?: number;
  /** Delete this policy's snapshots of the droplet older than N days. */
  readonly maxAgeDays?: number;
}

/**
 * One DigitalOcean action for one droplet in one tick, or one later step of the droplet's
 * workflow in that tick (such as the `power_off` after a `shutdown`). The item is
 * self-sufficient: the reconciler needs nothing but the item to follow it, time it out and start
 * its next step.
 */
export interface ActionRecord extends LedgerRecordBase, ClaimFields {
  readonly kind: 'action';
  readonly dropletId: number;
  /** Absent for the tick's first action; 1, 2, … for the steps that follow it. */
  readonly step?: number;
  readonly dropletName?: string;
  readonly region?: string;
  /** A droplet action type, or a parking operation. */
  readonly type: StepType;
  /** The action's parameters besides `type`, as sent to DigitalOcean (e.g. `{ name }` for a snapshot). */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly status: LedgerStatus;
  /** DigitalOcean's action id, once known. */
  readonly actionId?: number;
  /** DigitalOcean's `started_at`. */
  readonly startedAt?: string;
  /** DigitalOcean's `completed_at`, or when the ledger gave up (timed out). */
  readonly completedAt?: string;
  /** How many times the reconciler has looked at the item and put it back (for backoff). */
  readonly checks?: number;
  readonly lastError?: LedgerError;
  /** Why the item was skipped. */
  readonly reason?: string;
  /** What a parking operation found or did (`snapshot 123 listed, 20 GB`), once completed. */
  readonly result?: string;
  /** For a later step: the DigitalOcean action of the step before it. */
  readonly parentActionId?: number;
  /** When the reconciler stops waiting and records it `timed-out`. */
  readonly timeoutAt?: string;
  /** The policy's timeout, so that the deadline can be recomputed from DigitalOcean's `started_at`. */
  readonly timeoutMinutes?: number;
  /** The droplet's whole workflow in this tick, when it has more than one step; `step` is this one's place in it. */
  readonly workflow?: Workflow;
  /** Decided by the final write: the step that runs next, when one does (then `next-step` is in the outbox). */
  readonly nextStep?: number;
  /** The policy's retention, for snapshots. */
  readonly retention?: SnapshotRetention;
  /** Used disk in GB, for snapshot duration estimates. */
  readonly diskGb?: number;
}
