/**
 * Where an override stands. `active` until it is cancelled; it also stops applying by itself once
 * `until` has passed, with no write (`isOverrideActive`), so that expiry needs no process to run.
 */
export type OverrideStatus = 'active' | 'cancelled';

/**
 * A person's "not now" for a policy (`droplet-scheduler snooze`): the policy's ticks scheduled
 * before `until`, or only its actions on `dropletId`, are recorded `skipped` with this override's
 * id and reason instead of acting. It is kept in the policy's partition of the ledger, beside the
 * ticks it skipped, and moves through the same state machine as every other item.
 */
export interface OverrideRecord {
  readonly kind: 'override';
  readonly policy: string;
  /** The policy's team when it was snoozed, for `audit --team`; absent for the default team. */
  readonly team?: string;
  /** Unique within the policy; with the policy, the id people type (`weekend-off:k3x9q2`, see `formatOverrideId`). */
  readonly key: string;
  /** Absent: the whole policy is snoozed. Present: only this droplet is left alone. */
  readonly dropletId?: number;
  /** The override covers ticks scheduled before this instant (ISO 8601 UTC). */
  readonly until: string;
  /** Why, in the words of whoever snoozed it; shown in audit and in the skipped items' reason. */
  readonly reason?: string;
  /** Who asked for it, when the CLI knows (the OS user name); only informative. */
  readonly createdBy?: string;
  readonly status: OverrideStatus;
  /** When the override was written; never changes. */
  readonly claimedAt: string;
  readonly updatedAt: string;
  /** When it was cancelled. */
  readonly cancelledAt?: string;
  /** Epoch seconds after which DynamoDB's TTL may delete the item: set by the store on creation. */
  readonly expiresAt?: number;
  readonly version: number;
  /** Overrides never fall due: expiry is a comparison with `until`, not a write. */
  readonly dueAt?: undefined;
  readonly outbox?: undefined;
}

/** Whether an override still applies to a tick scheduled at `scheduledTime`. */
export function isOverrideActive(record: OverrideRecord, scheduledTime: string): boolean {
  return record.status === 'active' && Date.parse(scheduledTime) < Date.parse(record.until);
}

/** The id people type and audit shows: the policy and the override's key, e.g. `weekend-off:k3x9q2`. */
export function formatOverrideId(record: Pick<OverrideRecord, 'policy' | 'key'>): string {
  return `${record.policy}:${record.key}`;
}
