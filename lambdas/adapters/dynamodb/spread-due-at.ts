import { createHash } from 'node:crypto';
import type { LedgerKey } from '../../core/ledger/ledger-record-base';

/**
 * Moves `dueAt` on by a fixed part of a second that depends only on the item's key. dynalite keys
 * a secondary-index entry by the index key plus 24 bits of a hash of the item's key, so two items
 * with the same `openPk` and the same `dueAt` (a bulk tick's hundreds of actions, or checks
 * aligned to one slot) can share an entry: settling one then drops the other from the `open`
 * index for good. Distinct `dueAt` values keep their entries apart. Real DynamoDB does not need
 * this, and a check a fraction of a second later changes nothing.
 */
export function spreadDueAt(dueAt: string, key: LedgerKey, spreadMs: number): string {
  if (spreadMs <= 0) return dueAt;
  const offset = createHash('md5').update(`${key.pk}\u0000${key.sk}`).digest().readUInt32BE(0) % spreadMs;
  return new Date(Date.parse(dueAt) + offset).toISOString();
}
