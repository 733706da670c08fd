import type { LedgerKey } from '../ledger/ledger-record-base';
import type { ActionLedger } from '../ports/action-ledger';

/**
 * How far before a claim another item of the same droplet may have been claimed and still own a
 * newer action: its POST can go out late (busy-droplet retries, waits for rate budget).
 */
const LOOK_BACK_MS = 2 * 3_600_000;

/** Items of one droplet read at most; a droplet has a handful of items an hour. */
const MAX_ITEMS = 500;

/**
 * The action ids other ledger items of this droplet already own. Adoption matches an action by
 * droplet, type and start time only, so when two ticks of one policy overlap on a droplet (the
 * older one's POST going out late), the newer claim could otherwise adopt the older one's action
 * and leave its own unrecorded. Read from the by-droplet index.
 */
export async function actionIdsOwnedElsewhere(
  ledger: ActionLedger,
  claim: LedgerKey & { readonly dropletId: number; readonly claimedAt: string },
): Promise<Set<number>> {
  const owned = new Set<number>();
  const from = new Date(Date.parse(claim.claimedAt) - LOOK_BACK_MS).toISOString();
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await ledger.queryByDroplet(claim.dropletId, { from, limit: 100, cursor });
    for (const item of page.items) {
      const elsewhere = item.pk !== claim.pk || item.sk !== claim.sk;
      if (elsewhere && item.kind === 'action' && item.actionId !== undefined) owned.add(item.actionId);
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor && read < MAX_ITEMS);
  return owned;
}
