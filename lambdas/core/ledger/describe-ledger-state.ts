import type { LedgerRecord } from './ledger-record';

/** How a conflict message shows the item it found: its status, and its attempts for an action. */
export function describeLedgerState(record: LedgerRecord | undefined): string {
  if (record === undefined) return 'no item';
  if (record.kind === 'action') return `status ${record.status} and attempts ${record.attempts}`;
  return `${record.kind} item with status ${record.status}`;
}
