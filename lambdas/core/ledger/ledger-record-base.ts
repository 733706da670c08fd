/** The table key of one ledger item; it is also the item's idempotency key. */
export interface LedgerKey {
  /** `POLICY#<policy name>`. */
  readonly pk: string;
  /** `RUN#<scheduledTime>` for a run, `RUN#<scheduledTime>#DROPLET#<id>` for an action, and so on. */
  readonly sk: string;
}

/** The three kinds of item the ledger holds, each under the policy and tick it belongs to. */
export type LedgerItemKind = 'run' | 'action' | 'snapshot-deletion';

/** What every ledger item carries. Times are ISO 8601 UTC with milliseconds (`Date#toISOString`). */
export interface LedgerRecordBase extends LedgerKey {
  readonly kind: LedgerItemKind;
  readonly policy: string;
  /** The schedule's tick (`<aws.scheduler.scheduled-time>`), stable across redeliveries of one tick. */
  readonly scheduledTime: string;
  /** When the ledger first wrote the item; never changes afterwards. */
  readonly claimedAt: string;
  /** When the item last changed. */
  readonly updatedAt: string;
  /** Epoch seconds after which DynamoDB's TTL may delete the item (the audit retention). */
  readonly expiresAt: number;
}

/** An error as the ledger keeps it: DigitalOcean's (or our) code, message and request id. */
export interface LedgerError {
  /** DigitalOcean's error id (`unprocessable_entity`) or one of our codes (`timed_out`). */
  readonly code: string;
  readonly message: string;
  /** DigitalOcean's `request_id`, for support tickets. */
  readonly requestId?: string;
}
