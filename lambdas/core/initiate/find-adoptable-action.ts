import type { ActionType } from '../actions/action-catalog';
import type { Action } from '../ports/droplet-api';

/**
 * How far DigitalOcean's clock may run behind ours and still have started the action we asked
 * for. Generous on purpose: adopting a slightly early action of the same type is harmless, while
 * missing ours would start a second one.
 */
export const CLOCK_SKEW_MS = 60_000;

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
 * the same type, and started no earlier than our attempt (less clock skew). The oldest such
 * action wins, so that every retry that looks adopts the same one.
 */
export function findAdoptableAction(
  actions: readonly Action[],
  criteria: AdoptionCriteria,
): Action | undefined {
  const earliest = Date.parse(criteria.attemptedAt) - CLOCK_SKEW_MS;
  return actions
    .filter(
      (action) =>
        action.resourceId === criteria.dropletId &&
        action.type === criteria.type &&
        Date.parse(action.startedAt) >= earliest &&
        !criteria.excludeActionIds?.has(action.id),
    )
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id - b.id)[0];
}
