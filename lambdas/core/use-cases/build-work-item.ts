import type { DropletAction } from '../actions/droplet-action';
import type { Policy } from '../policy/policy';
import type { Droplet } from '../ports/droplet-api';
import { isOperation, stepAt, type Workflow } from '../workflow/workflow';
import { actionOfStep, isSingleStep, workflowOf } from '../workflow/workflow-of';
import type { InitiateWorkItem } from './initiate-work-item';
import type { UseCaseDependencies } from './use-case-dependencies';

/** What dispatch knows of a target: everything when it listed a tag, only the id for `dropletIds`. */
export type KnownTarget = Pick<Droplet, 'id'> &
  Partial<Droplet> & {
    /** For an unpark: the lineage that recreates the droplet. */
    readonly lineageId?: number;
  };

/** The request body of the first step for one droplet: a snapshot's name rendered for this droplet and tick. */
export function actionFor(
  policy: Policy,
  scheduledTime: string,
  target: KnownTarget,
): DropletAction | undefined {
  const first = workflowOf(policy, target, scheduledTime).steps[0];
  return first === undefined || isOperation(first.type) ? undefined : actionOfStep(first);
}

/** The work item of the first step of a policy's workflow on one droplet. */
export function buildWorkItem(
  deps: Pick<UseCaseDependencies, 'timing' | 'now'>,
  policy: Policy,
  scheduledTime: string,
  target: KnownTarget,
): InitiateWorkItem {
  const workflow = workflowOf(policy, target, scheduledTime);
  const first = stepFields(workflow, 0);
  return {
    policy: policy.name,
    ...(policy.team !== undefined ? { team: policy.team } : {}),
    scheduledTime,
    dropletId: target.id,
    dropletName: target.name,
    diskGb: target.diskGb,
    region: target.regionSlug,
    observedStatus: target.status,
    ...first,
    retention: policy.retention ? { ...policy.retention } : undefined,
    skipWhenAlreadyInState: policy.skipWhenAlreadyInState,
    // A busy droplet is retried until the action's own timeout would have run out. A tick
    // dispatched late (by hand, with --at in the past) counts from now.
    retryUntil: deps.timing.afterDo(
      Math.max(Date.parse(scheduledTime), deps.now().getTime()),
      first.timeoutMinutes * 60_000,
    ),
  };
}

/** The fields of a work item that say which step of which workflow it runs. */
export function stepFields(
  workflow: Workflow,
  index: number,
): Pick<InitiateWorkItem, 'action' | 'operation' | 'timeoutMinutes' | 'workflow' | 'step'> {
  const step = stepAt(workflow, index);
  if (step === undefined) throw new RangeError(`no step ${index} in this workflow`);
  return {
    ...(isOperation(step.type)
      ? { operation: { type: step.type, ...(step.params ? { params: { ...step.params } } : {}) } }
      : { action: actionOfStep(step) }),
    timeoutMinutes: step.timeoutMinutes,
    ...(isSingleStep(workflow)
      ? {}
      : { workflow: structuredClone(workflow) as InitiateWorkItem['workflow'] }),
    ...(index > 0 ? { step: index } : {}),
  };
}
