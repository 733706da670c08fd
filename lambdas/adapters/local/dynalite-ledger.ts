import type { ItemId } from '../../core/ledger/item-id';
import type { LedgerRecord } from '../../core/ledger/ledger-record';
import { DynamoDbActionLedger, type DynamoDbActionLedgerOptions } from '../dynamodb/dynamodb-action-ledger';
import { spreadDueAt } from './spread-due-at';

/** dynalite needs `dueAt` values spread apart (see `spreadDueAt`); a second keeps checks on time. */
export const DYNALITE_DUE_AT_SPREAD_MS = 1_000;

/**
 * How far ahead of `now` the open-and-due query reaches: twice the spread, so that items due
 * together (a bulk tick's actions) still fall due together and share one read of DigitalOcean.
 */
const DUE_SLACK_MS = 2 * DYNALITE_DUE_AT_SPREAD_MS;

const LAST_LEDGER_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * The ledger on dynalite, the local DynamoDB: the production adapter plus the workarounds for
 * dynalite's index keys, which live here and nowhere else. dynalite keys a secondary-index entry by
 * the index key plus 24 bits of a hash of the item's key, so two items with the same `openPk` and
 * `dueAt` can share an entry, and settling one drops the other from the `open` index for good.
 */
export class DynaliteLedger extends DynamoDbActionLedger {
  constructor(options: DynamoDbActionLedgerOptions) {
    super(options);
  }

  protected override toStored(record: LedgerRecord, id: ItemId): Record<string, unknown> {
    const item = super.toStored(record, id);
    if (typeof item.dueAt === 'string') item.dueAt = spreadDueAt(item.dueAt, id, DYNALITE_DUE_AT_SPREAD_MS);
    return item;
  }

  protected override dueBy(now: string): string {
    // Past the year 9999 an ISO string gains a sign and no longer sorts as a time.
    return new Date(Math.min(Date.parse(now) + DUE_SLACK_MS, LAST_LEDGER_TIME)).toISOString();
  }
}
