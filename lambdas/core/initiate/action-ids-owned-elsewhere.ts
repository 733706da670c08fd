import { describeItem, idOf, type ItemId } from '../ledger/item-id';
import type { AuditQueries } from '../ports/audit-queries';

/**
 * How far before a claim another item of the same droplet may have been claimed and still own a
 * newer action: its POST can go out late (busy-droplet retries).
 */
const LOOK_BACK_MS = 2 * 3_600_000;

/** Items of one droplet read at most; a droplet has a handful of items an hour. */
const MAX_ITEMS = 500;

/**
 * The action ids other ledger items of this droplet have recorded, from the by-droplet index, so
 * that a look after a lost answer never takes an action another item recorded from its own answer.
 * (Two items that both adopt are kept apart by the owner item; see `claimActionOwner`.)
 */
export async function actionIdsOwnedElsewhere(
  ledger: AuditQueries,
  claim: { readonly id: ItemId; readonly dropletId: number; readonly claimedAt: string },
): Promise<Set<number>> {
  const owned = new Set<number>();
  const self = describeItem(claim.id);
  const from = new Date(Date.parse(claim.claimedAt) - LOOK_BACK_MS).toISOString();
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await ledger.queryByDroplet(claim.dropletId, { from, limit: 100, cursor });
    for (const item of page.items) {
      if (item.kind === 'action' && item.actionId !== undefined && describeItem(idOf(item)) !== self)
        owned.add(item.actionId);
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor && read < MAX_ITEMS);
  return owned;
}
