import type { ActionType } from '../actions/action-catalog';
import { ledgerInputError } from './ledger-input-error';
import type { LedgerKey } from './ledger-record-base';
import type { LedgerStatus } from './ledger-status';
import { toLedgerTime } from './ledger-time';

// `~` sorts after every character a run's sort keys use, so `RUN#<to>~` bounds every item of the
// last tick in range, `RUN#<to>#DROPLET#...` included.
const AFTER_RUN = '~';

export function policyPartitionKey(policy: string): string {
  if (typeof policy !== 'string' || policy.length === 0) {
    throw ledgerInputError('policy', policy, 'a non-empty policy name');
  }
  return `POLICY#${policy}`;
}

function runSortKey(scheduledTime: string): string {
  return `RUN#${toLedgerTime(scheduledTime, 'scheduledTime')}`;
}

function dropletSegment(dropletId: number): string {
  if (!Number.isSafeInteger(dropletId) || dropletId <= 0) {
    throw ledgerInputError('dropletId', dropletId, 'a positive integer droplet id');
  }
  return `DROPLET#${dropletId}`;
}

/** The run item of one tick of one policy. */
export function runKey(policy: string, scheduledTime: string): LedgerKey {
  return { pk: policyPartitionKey(policy), sk: runSortKey(scheduledTime) };
}

/** The action item of one droplet in one tick: the idempotency key of "start this action". */
export function actionKey(policy: string, scheduledTime: string, dropletId: number): LedgerKey {
  return { pk: policyPartitionKey(policy), sk: `${runSortKey(scheduledTime)}#${dropletSegment(dropletId)}` };
}

/** A follow-up of an action item (the `power_off` after a timed-out `shutdown`): one per type. */
export function followUpKey(
  policy: string,
  scheduledTime: string,
  dropletId: number,
  type: ActionType,
): LedgerKey {
  const parent = actionKey(policy, scheduledTime, dropletId);
  return { pk: parent.pk, sk: `${parent.sk}#FOLLOWUP#${type}` };
}

/** A snapshot deletion by retention, under the tick whose snapshot triggered it. */
export function snapshotDeletionKey(
  policy: string,
  scheduledTime: string,
  dropletId: number,
  snapshotId: number | string,
): LedgerKey {
  if (String(snapshotId).length === 0) throw ledgerInputError('snapshotId', snapshotId, 'a snapshot id');
  const parent = actionKey(policy, scheduledTime, dropletId);
  return { pk: parent.pk, sk: `${parent.sk}#DELETED#${snapshotId}` };
}

/**
 * The sort-key bounds of "what did this policy do between `from` and `to`" (both included, either
 * open): every run, action, follow-up and deletion of the ticks in range.
 */
export function policySortKeyRange(
  from?: string,
  to?: string,
): { readonly lower: string; readonly upper: string } {
  return {
    lower: from === undefined ? 'RUN#' : runSortKey(from),
    upper: to === undefined ? `RUN#${AFTER_RUN}` : `${runSortKey(to)}${AFTER_RUN}`,
  };
}

/** The partition of the sparse `open` index that holds shard `shard`. */
export function openPartitionKey(shard: number): string {
  return `OPEN#${shard}`;
}

/**
 * The `open` shard of an item: a stable hash of its key (FNV-1a), so that writes spread evenly and
 * every update of one item lands on the same shard.
 */
export function openShardOf(key: LedgerKey, shardCount: number): number {
  let hash = 0x811c9dc5;
  const text = `${key.pk}\n${key.sk}`;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shardCount;
}

/** The `by-droplet` partition of a droplet. */
export function dropletPartitionKey(dropletId: number): string {
  return dropletSegment(dropletId);
}

/** The `by-status` partition of a status in one month (`yyyy-mm` of `updatedAt`). */
export function statusPartitionKey(status: LedgerStatus, month: string): string {
  return `STATUS#${status}#${month}`;
}
