import type { ActionType } from '../actions/action-catalog';
import type { LedgerError, LedgerRecordBase } from './ledger-record-base';
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
 * One DigitalOcean action for one droplet in one tick: `sk = RUN#<t>#DROPLET#<id>`, or
 * `RUN#<t>#DROPLET#<id>#FOLLOWUP#<type>` for a follow-up such as the `power_off` after a timed-out
 * `shutdown`. The item is self-sufficient: the reconciler needs nothing but the item to follow it,
 * time it out and start its follow-ups.
 */
export interface ActionRecord extends LedgerRecordBase {
  readonly kind: 'action';
  readonly dropletId: number;
  readonly dropletName?: string;
  readonly region?: string;
  readonly type: ActionType;
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
  /** How many times the item has been claimed for a POST; the condition that prevents two actions for one item. */
  readonly attempts: number;
  /**
   * When the current attempt was taken (the claim, or a retry moving `attempts` on), or last
   * re-stamped by initiate right before its POST after a long wait for rate budget. A POST goes
   * out at most `FRESH_ATTEMPT_MS` after it, which is what lets the reconciler tell a claim whose
   * POST may still be on the wire from an abandoned one.
   */
  readonly sendingAt?: string;
  /** How many times the reconciler has looked at the item and put it back (for backoff). */
  readonly checks?: number;
  readonly lastError?: LedgerError;
  /** Why the item was skipped. */
  readonly reason?: string;
  /** For a follow-up: the DigitalOcean action it follows. */
  readonly parentActionId?: number;
  /** While open: when the reconciler should next look at it. Absent once terminal. */
  readonly dueAt?: string;
  /** When the reconciler stops waiting and marks it `timed-out`. */
  readonly timeoutAt?: string;
  /** The policy's timeout, so that the deadline can be recomputed from DigitalOcean's `started_at`. */
  readonly timeoutMinutes?: number;
  /** The type to start if this one times out (`power_off` after `shutdown`). */
  readonly fallback?: ActionType;
  /** The policy's retention, for snapshots. */
  readonly retention?: SnapshotRetention;
  /** Used disk in GB, for snapshot duration estimates. */
  readonly diskGb?: number;
}
