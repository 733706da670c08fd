import type { StepType } from '../workflow/workflow';
import type { Action } from '../ports/droplet-api';

/**
 * How far before our claim an action may have started and still be ours: DigitalOcean gives
 * `started_at` to the second (so our action can look up to a second older than the claim), and
 * its clock and ours may differ by a little. Kept small: an action someone else started just
 * before our claim is not ours, and adopting it would leave ours unrecorded.
 */
export const CLOCK_SKEW_MS = 5_000;

export interface AdoptionCriteria {
  readonly dropletId: number;
  readonly type: StepType;
  /** When the item was first claimed: no earlier attempt of it can have started anything before. */
  readonly claimedAt: string;
  /** Action ids other ledger items already own; never adopted twice. */
  readonly excludeActionIds?: ReadonlySet<number>;
}

/**
 * The actions a lost answer (a 5xx, a dropped connection, a crash) of this item may have started:
 * on the same droplet, of the same type, started no earlier than the item's first claim, and not
 * another item's. Oldest first, so that every attempt that looks tries the same one first; an
 * action from the few seconds before the claim (second-precision timestamps, clock skew) only
 * after every later one.
 */
export function adoptableActions(actions: readonly Action[], criteria: AdoptionCriteria): Action[] {
  const claimed = Date.parse(criteria.claimedAt);
  // started_at is truncated to the second: an action started in the claim's own second is not older.
  const claimedSecond = Math.floor(claimed / 1000) * 1000;
  const candidates = actions
    .filter(
      (action) =>
        action.resourceId === criteria.dropletId &&
        action.type === criteria.type &&
        Date.parse(action.startedAt) >= claimed - CLOCK_SKEW_MS &&
        !criteria.excludeActionIds?.has(action.id),
    )
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id - b.id);
  const onTime = candidates.filter((action) => Date.parse(action.startedAt) >= claimedSecond);
  const early = candidates.filter((action) => Date.parse(action.startedAt) < claimedSecond).reverse();
  return [...onTime, ...early];
}
