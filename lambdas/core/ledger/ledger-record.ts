import type { ActionRecord } from './action-record';
import type { OverrideRecord } from './override-record';
import type { LineageAliasRecord, LineageRecord } from './lineage-record';
import type { RunRecord } from './run-record';
import type { SnapshotDeletionRecord } from './snapshot-deletion-record';

/** Any item of the action ledger, told apart by `kind`. */
export type LedgerRecord =
  RunRecord | ActionRecord | SnapshotDeletionRecord | LineageRecord | LineageAliasRecord;

/** The items that belong to one droplet: its actions and its snapshot deletions. */
export type DropletLedgerRecord = ActionRecord | SnapshotDeletionRecord;

/**
 * Whether an item is kept for good rather than for the audit's retention: a lineage (and its
 * aliases) is the only record of how to bring a parked droplet back, however long it stays parked.
 */
export function keptForGood(record: Pick<LedgerItem, 'kind'>): boolean {
  return record.kind === 'lineage' || record.kind === 'lineage-alias';
}

/**
 * Any item the state machine moves: the items above, and the overrides a person writes. The audit
 * queries of ticks answer `LedgerRecord`s; overrides have a query of their own.
 */
export type LedgerItem = LedgerRecord | OverrideRecord;
