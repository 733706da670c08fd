import { ledgerInputError } from '../../core/ledger/ledger-input-error';
import type { ItemId } from '../../core/ledger/item-id';
import type { LedgerItem } from '../../core/ledger/ledger-record';
import type { LedgerStatus } from '../../core/ledger/ledger-status';
import { monthOf, toLedgerTime } from '../../core/ledger/ledger-time';

/**
 * How the ledger lies in one DynamoDB table. Everything of a policy shares its partition, sorted by
 * tick, then droplet, then step or deletion, so that "what did policy P do between T1 and T2" is one
 * range of sort keys. Owner items (who recorded a DigitalOcean action id) have a partition each.
 *
 * | item | `pk` | `sk` |
 * |---|---|---|
 * | run | `POLICY#<policy>` | `RUN#<tick>` |
 * | action | `POLICY#<policy>` | `RUN#<tick>#DROPLET#<id>` |
 * | later step | `POLICY#<policy>` | `RUN#<tick>#DROPLET#<id>#STEP#<n>` |
 * | snapshot deletion | `POLICY#<policy>` | `RUN#<tick>#DROPLET#<id>#DELETED#<snapshot id>` |
 * | override | `POLICY#<policy>` | `OVERRIDE#<until>#<key>` |
 * | action owner | `ACTION#<action id>` | `OWNER` |
 * | lineage (a droplet's identity across parks) | `LINEAGE` | `LINEAGE#<first droplet id>` |
 * | lineage alias (droplet id → lineage) | `LINEAGE` | `ALIAS#<droplet id>` |
 *
 * Overrides sort before `RUN#`, outside every range of ticks, and by `until`, so that the ones
 * still in force at a tick are one range of sort keys.
 */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

// `~` sorts after every character a run's sort keys use, so `RUN#<to>~` bounds every item of the
// last tick in range.
const AFTER_RUN = '~';

/** The `open` index holds one partition: every item with a `dueAt`. */
export const OPEN_PARTITION = 'OPEN';

/** Attributes that exist only for the table and its indexes; records never show them. */
const LAYOUT_ATTRIBUTES: ReadonlySet<string> = new Set(['pk', 'sk', 'openPk', 'dropletPk', 'statusPk']);

export function policyPartitionKey(policy: string): string {
  if (typeof policy !== 'string' || policy.length === 0) {
    throw ledgerInputError('policy', policy, 'a non-empty policy name');
  }
  return `POLICY#${policy}`;
}

/** The partition of every lineage and lineage alias: few items, read by `queryLineages`. */
export const LINEAGE_PARTITION = 'LINEAGE';

export function tableKey(id: ItemId): TableKey {
  if (id.kind === 'action-owner') return { pk: `ACTION#${id.actionId}`, sk: 'OWNER' };
  if (id.kind === 'lineage') return { pk: LINEAGE_PARTITION, sk: `LINEAGE#${id.lineageId}` };
  if (id.kind === 'lineage-alias') return { pk: LINEAGE_PARTITION, sk: `ALIAS#${id.dropletId}` };
  if (id.kind === 'override') {
    return {
      pk: policyPartitionKey(id.policy),
      sk: `${OVERRIDE_PREFIX}${toLedgerTime(id.until, 'until')}#${id.key}`,
    };
  }
  const run = `RUN#${toLedgerTime(id.scheduledTime, 'scheduledTime')}`;
  const pk = policyPartitionKey(id.policy);
  switch (id.kind) {
    case 'run':
      return { pk, sk: run };
    case 'action':
      return { pk, sk: `${run}#DROPLET#${id.dropletId}${id.step ? `#STEP#${id.step}` : ''}` };
    case 'snapshot-deletion':
      return { pk, sk: `${run}#DROPLET#${id.dropletId}#DELETED#${id.snapshotId}` };
  }
}

/**
 * The sort-key bounds of "what did this policy do between `from` and `to`" (both included, either
 * open): every run, action, step and deletion of the ticks in range.
 */
export function policySortKeyRange(
  from?: string,
  to?: string,
): { readonly lower: string; readonly upper: string } {
  return {
    lower: from === undefined ? 'RUN#' : `RUN#${toLedgerTime(from, 'from')}`,
    upper: to === undefined ? `RUN#${AFTER_RUN}` : `RUN#${toLedgerTime(to, 'to')}${AFTER_RUN}`,
  };
}

const OVERRIDE_PREFIX = 'OVERRIDE#';

/**
 * The sort-key bounds of a policy's overrides whose `until` is after `expiringAfter` (all of them
 * without it). An override whose `until` is exactly `expiringAfter` is in range: the caller decides.
 */
export function overrideSortKeyRange(expiringAfter?: string): {
  readonly lower: string;
  readonly upper: string;
} {
  return {
    lower:
      expiringAfter === undefined
        ? OVERRIDE_PREFIX
        : `${OVERRIDE_PREFIX}${toLedgerTime(expiringAfter, 'expiringAfter')}`,
    upper: `${OVERRIDE_PREFIX}${AFTER_RUN}`,
  };
}

/** The `by-droplet` partition of a droplet. */
export function dropletPartitionKey(dropletId: number): string {
  if (!Number.isSafeInteger(dropletId) || dropletId <= 0) {
    throw ledgerInputError('dropletId', dropletId, 'a positive integer droplet id');
  }
  return `DROPLET#${dropletId}`;
}

/** The `by-status` partition of a status in the month of `updatedAt`: a month each keeps hot statuses spread. */
export function statusPartitionKey(status: LedgerStatus, updatedAt: string): string {
  return `STATUS#${status}#${monthOf(updatedAt)}`;
}

/** A record as a DynamoDB item: the record, its key, and the keys of the indexes it belongs on. */
export function toItem(record: LedgerItem, id: ItemId): Record<string, unknown> {
  const item: Record<string, unknown> = { ...record, ...tableKey(id) };
  if (record.dueAt !== undefined) item.openPk = OPEN_PARTITION;
  // Overrides and lineages stay off the droplet and status indexes: they have queries of their own.
  if (record.kind === 'action' || record.kind === 'snapshot-deletion') {
    item.dropletPk = dropletPartitionKey(record.dropletId);
    item.statusPk = statusPartitionKey(record.status, record.updatedAt);
  }
  return item;
}

export function fromItem(item: Record<string, unknown>): LedgerItem {
  // Copied without the layout attributes rather than copied whole and then `delete`d: a `delete`
  // turns the object into a hash table (V8's dictionary mode), about 1.9 KB a record instead of
  // 0.5 KB, and a reconcile pass holds tens of thousands of records at once.
  const record: Record<string, unknown> = {};
  for (const key of Object.keys(item)) if (!LAYOUT_ATTRIBUTES.has(key)) record[key] = item[key];
  return record as unknown as LedgerItem;
}
