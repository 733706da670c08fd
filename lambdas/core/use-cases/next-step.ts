import type { ActionRecord } from '../ledger/action-record';
import { powerStateAfterStep, stepAt } from '../workflow/workflow';
import { stepFields } from './build-work-item';
import type { InitiateWorkItem } from './initiate-work-item';
import type { UseCaseDependencies } from './use-case-dependencies';
import { workItemFromRecord } from './work-item-from-record';

/**
 * The work item of the step the final write of `item` decided runs next (`item.nextStep`), or
 * undefined when none does. It may wait for a busy droplet for its own timeout.
 */
export function nextStepOf(
  deps: Pick<UseCaseDependencies, 'now' | 'timing'>,
  item: ActionRecord,
): InitiateWorkItem | undefined {
  if (item.workflow === undefined || item.nextStep === undefined) return undefined;
  const step = stepAt(item.workflow, item.nextStep);
  if (step === undefined) return undefined;
  // The step before's request (its action or operation) gives way to this step's.
  const { action: _action, operation: _operation, ...before } = workItemFromRecord(item);
  return {
    ...before,
    ...stepFields(item.workflow, item.nextStep),
    step: item.nextStep,
    parentActionId: item.actionId,
    parentStartedAt: item.startedAt ?? item.claimedAt,
    // A step that sets the power state skips a droplet already there (the fallback's power_off).
    skipWhenAlreadyInState: powerStateAfterStep(step.type) !== undefined,
    retryUntil: deps.timing.afterDo(deps.now(), step.timeoutMinutes * 60_000),
    retention: step.type === 'snapshot' ? item.retention : undefined,
  };
}
