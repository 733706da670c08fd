/**
 * The kinds of item the ledger holds: runs, actions and deletions under the policy and tick they
 * belong to, lineages of parked droplets, and overrides under their policy.
 */
export type LedgerItemKind =
  'run' | 'action' | 'snapshot-deletion' | 'lineage' | 'lineage-alias' | 'override';

/**
 * What a terminal write leaves to do, kept on the item until done (the outbox): a crash between
 * the write and its effects delays them, never loses them.
 * - `event`: publish the item's EventBridge event.
 * - `next-step`: queue the next step of the droplet's workflow (the `power_off` after a `shutdown`).
 * - `retention`: delete the policy's snapshots the retention rule no longer keeps.
 */
export type Effect = 'event' | 'next-step' | 'retention';

/** What every ledger item carries. Times are ISO 8601 UTC with milliseconds (`Date#toISOString`). */
export interface LedgerRecordBase {
  readonly kind: LedgerItemKind;
  readonly policy: string;
  /** The policy's team, for `audit --team`; absent for the default team. */
  readonly team?: string;
  /** The schedule's tick, to the minute: stable across redeliveries of one tick. */
  readonly scheduledTime: string;
  /** When the ledger first wrote the item; never changes afterwards. */
  readonly claimedAt: string;
  /** When the item last changed. */
  readonly updatedAt: string;
  /** Epoch seconds after which DynamoDB's TTL may delete the item: set by the store on creation. */
  readonly expiresAt?: number;
  /** 1 on creation, one more on every write; every write after the first is conditional on it. */
  readonly version: number;
  /**
   * While something is left to do: when the reconciler should look at the item next. The item is
   * on the `open` index exactly while it has one.
   */
  readonly dueAt?: string;
  /** Effects of the terminal write not yet carried out. */
  readonly outbox?: readonly Effect[];
}

/**
 * The claim an item is started under, for items that start something (runs, actions, deletions).
 * A claim is a lease: its holder may send requests until `leaseUntil` (less a margin) and record
 * their answers; once it has ended, anyone may take the item over with the next attempt.
 */
export interface ClaimFields {
  /** How many times the item has been claimed. */
  readonly attempts: number;
  /** When the current claim ends. */
  readonly leaseUntil?: string;
  /**
   * What is known of the latest attempt's request: `unknown` (it may have reached DigitalOcean, so
   * whoever claims next looks before sending again) or `not-sent` (it surely did not).
   */
  readonly lastAttempt?: 'unknown' | 'not-sent';
}

/** An error as the ledger keeps it: DigitalOcean's (or our) code, message and request id. */
export interface LedgerError {
  /** DigitalOcean's error id (`unprocessable_entity`) or one of our codes (`timed_out`). */
  readonly code: string;
  readonly message: string;
  /** DigitalOcean's `request_id`, for support tickets. */
  readonly requestId?: string;
}
