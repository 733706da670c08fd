import type { LedgerRecord } from '../../core/ledger/ledger-record';
import {
  dropletPartitionKey,
  openPartitionKey,
  openShardOf,
  statusPartitionKey,
} from '../../core/ledger/ledger-keys';
import type { LedgerKey } from '../../core/ledger/ledger-record-base';
import type { LedgerStatus } from '../../core/ledger/ledger-status';
import { isOpen } from '../../core/ledger/ledger-status';
import { monthOf } from '../../core/ledger/ledger-time';

/** Attributes that exist only for the indexes; records never show them. */
const INDEX_ATTRIBUTES = ['openPk', 'dropletPk', 'statusPk'] as const;

/** The `by-status` partition an item belongs in after a write at `updatedAt`. */
export function statusPk(status: LedgerStatus, updatedAt: string): string {
  return statusPartitionKey(status, monthOf(updatedAt));
}

export function openPk(key: LedgerKey, openShards: number): string {
  return openPartitionKey(openShardOf(key, openShards));
}

/** A record as a DynamoDB item: the record plus the keys of the indexes it belongs on. */
export function toItem(record: LedgerRecord, openShards: number): Record<string, unknown> {
  if (record.kind === 'run') {
    return {
      ...record,
      openPk:
        record.status === 'dispatching' && record.dueAt !== undefined
          ? openPk(record, openShards)
          : undefined,
    };
  }
  return {
    ...record,
    dropletPk: dropletPartitionKey(record.dropletId),
    statusPk: statusPk(record.status, record.updatedAt),
    openPk: record.kind === 'action' && isOpen(record.status) ? openPk(record, openShards) : undefined,
  };
}

export function fromItem(item: Record<string, unknown>): LedgerRecord {
  const record = { ...item };
  for (const attribute of INDEX_ATTRIBUTES) delete record[attribute];
  return record as unknown as LedgerRecord;
}
