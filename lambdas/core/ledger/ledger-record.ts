import type { ActionRecord } from './action-record';
import type { OverrideRecord } from './override-record';
import type { RunRecord } from './run-record';
import type { SnapshotDeletionRecord } from './snapshot-deletion-record';

/** Any item of the action ledger, told apart by `kind`. */
export type LedgerRecord = RunRecord | ActionRecord | SnapshotDeletionRecord;

/** The items that belong to one droplet: its actions and its snapshot deletions. */
export type DropletLedgerRecord = ActionRecord | SnapshotDeletionRecord;

/**
 * Any item the state machine moves: the tick items above, and the overrides a person writes. The
 * audit queries of ticks answer `LedgerRecord`s; overrides have a query of their own.
 */
export type LedgerItem = LedgerRecord | OverrideRecord;
