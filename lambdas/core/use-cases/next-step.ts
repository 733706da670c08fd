import type { ActionRecord } from '../ledger/action-record';
import type { InitiateWorkItem } from './initiate-work-item';
import type { UseCaseDependencies } from './use-case-dependencies';
import { workItemFromRecord } from './work-item-from-record';

/** How long a fallback `power_off` may wait for a busy droplet before it is recorded `rejected`. */
const FALLBACK_RETRY_WINDOW_MS = 30 * 60_000;

/**
 * The work item of the step after `item` in its droplet's workflow: for a `shutdown` with a
 * fallback, the `power_off` (skipped when the droplet is off by then). Undefined when none follows.
 */
export function nextStepOf(
  deps: Pick<UseCaseDependencies, 'now' | 'timing'>,
  item: ActionRecord,
): InitiateWorkItem | undefined {
  if (item.fallback === undefined) return undefined;
  return {
    ...workItemFromRecord(item),
    action: { type: item.fallback } as InitiateWorkItem['action'],
    step: (item.step ?? 0) + 1,
    parentActionId: item.actionId,
    parentStartedAt: item.startedAt ?? item.claimedAt,
    skipWhenAlreadyInState: true,
    retryUntil: deps.timing.afterDo(deps.now(), FALLBACK_RETRY_WINDOW_MS),
    fallback: undefined,
    retention: undefined,
  };
}
