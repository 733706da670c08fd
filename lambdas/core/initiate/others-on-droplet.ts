import type { StepType } from '../workflow/workflow';
import type { ActionRecord } from '../ledger/action-record';
import { describeItem, idOf, type ItemId } from '../ledger/item-id';
import type { AuditQueries } from '../ports/audit-queries';

/**
 * How far before a claim another item of the same droplet may have been claimed and still own a
 * newer action: its POST can go out late (busy-droplet retries).
 */
const LOOK_BACK_MS = 2 * 3_600_000;

/** Items of one droplet read at most; a droplet has a handful of items an hour. */
const MAX_ITEMS = 500;

/** What the other ledger items of a droplet say about the actions a look may find there. */
export interface OthersOnDroplet {
  /** Action ids they have recorded: never adopted by anyone else. */
  readonly recorded: ReadonlySet<number>;
  /** Their claims of the same type still `pending`: any of them may have sent an action found. */
  readonly rivals: readonly ActionRecord[];
}

/**
 * The other items of this droplet from the by-droplet index, for a look after a lost answer: what
 * they recorded, and which of their claims could have sent an action of this type. Their claims
 * were written before their POSTs, so by the time an action is old enough to adopt
 * (`Timing.adoptAfterMs`), every claim that could have sent it is in the index.
 */
export async function othersOnDroplet(
  ledger: AuditQueries,
  claim: {
    readonly id: ItemId;
    readonly dropletId: number;
    readonly claimedAt: string;
    readonly type: StepType;
  },
): Promise<OthersOnDroplet> {
  const recorded = new Set<number>();
  const rivals: ActionRecord[] = [];
  const self = describeItem(claim.id);
  const from = new Date(Date.parse(claim.claimedAt) - LOOK_BACK_MS).toISOString();
  let cursor: string | undefined;
  let read = 0;
  do {
    const page = await ledger.queryByDroplet(claim.dropletId, { from, limit: 100, cursor });
    for (const item of page.items) {
      if (item.kind !== 'action' || describeItem(idOf(item)) === self) continue;
      if (item.actionId !== undefined) recorded.add(item.actionId);
      else if (item.status === 'pending' && item.type === claim.type) rivals.push(item);
    }
    read += page.items.length;
    cursor = page.cursor;
  } while (cursor && read < MAX_ITEMS);
  return { recorded, rivals };
}
