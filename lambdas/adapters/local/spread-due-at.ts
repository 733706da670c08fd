import { createHash } from 'node:crypto';
import { describeItem, type ItemId } from '../../core/ledger/item-id';

/**
 * Moves `dueAt` on by a fixed part of a second that depends only on the item's identity, so that
 * no two items share one `open` index entry in dynalite (see `DynaliteLedger`). Real DynamoDB does
 * not need this, and a check a fraction of a second later changes nothing.
 */
export function spreadDueAt(dueAt: string, id: ItemId, spreadMs: number): string {
  if (spreadMs <= 0) return dueAt;
  const offset =
    createHash('md5')
      .update(`${id.kind}\u0000${describeItem(id)}`)
      .digest()
      .readUInt32BE(0) % spreadMs;
  return new Date(Date.parse(dueAt) + offset).toISOString();
}
