import type { ActionType } from '../actions/action-catalog';
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
  readonly type: ActionType;
  /** When our POST attempt began (the ledger's `attemptedAt`). */
  readonly attemptedAt: string;
  /** Action ids other ledger items already own; never adopted twice. */
  readonly excludeActionIds?: ReadonlySet<number>;
}

/**
 * After a POST whose outcome is unknown (5xx, dropped connection) or a claim left `pending` by a
 * crash, DigitalOcean may have started the action. It is ours when it is on the same droplet, of
 * the same type, and started no earlier than our claim. The oldest such action wins, so that every
 * retry that looks adopts the same one; only when there is none does an action from the few
 * seconds before the claim count (second-precision timestamps, clock skew).
 */
export function findAdoptableAction(
  actions: readonly Action[],
  criteria: AdoptionCriteria,
): Action | undefined {
  const claimed = Date.parse(criteria.attemptedAt);
  const candidates = actions
    .filter(
      (action) =>
        action.resourceId === criteria.dropletId &&
        action.type === criteria.type &&
        Date.parse(action.startedAt) >= claimed - CLOCK_SKEW_MS &&
        !criteria.excludeActionIds?.has(action.id),
    )
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id - b.id);
  // started_at is truncated to the second: an action started in the claim's own second is not older.
  const claimedSecond = Math.floor(claimed / 1000) * 1000;
  return candidates.find((action) => Date.parse(action.startedAt) >= claimedSecond) ?? candidates.at(-1);
}
