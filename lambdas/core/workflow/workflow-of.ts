import { ACTION_CATALOG } from '../actions/action-catalog';
import type { DropletAction } from '../actions/droplet-action';
import type { Policy, PolicyStep } from '../policy/policy';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE, renderSnapshotName } from '../policy/snapshot-name';
import { parkingWorkflow } from '../parking/parking-workflow';
import type { Workflow, WorkflowStep } from './workflow';

/** What a workflow needs to know of its droplet: its id, and its name when dispatch listed it. */
export interface WorkflowTarget {
  readonly id: number;
  readonly name?: string;
  /** For an unpark: the lineage that recreates the droplet. */
  readonly lineageId?: number;
}

/**
 * The workflow a policy runs on one droplet in one tick, with every request body rendered (a
 * snapshot's name is the policy's template for this droplet and tick). A `shutdown` with a
 * fallback becomes two steps: the `power_off` runs after it whatever its outcome, unless the
 * droplet is off by then.
 */
export function workflowOf(policy: Policy, target: WorkflowTarget, scheduledTime: string): Workflow {
  if (policy.parking) return parkingWorkflow(policy, target, scheduledTime);
  const first: PolicyStep = {
    action: policy.action,
    timeoutMinutes: policy.timeoutMinutes,
    fallback: policy.fallback,
    snapshotNameTemplate: policy.snapshotNameTemplate,
  };
  const steps = [first, ...(policy.steps ?? [])].flatMap((step) =>
    expand(step, policy, target, scheduledTime),
  );
  const onFailure = policy.onFailure ? expand(policy.onFailure, policy, target, scheduledTime)[0] : undefined;
  return { steps, ...(onFailure ? { onFailure } : {}) };
}

/** Whether a workflow needs carrying at all: one step alone is just the action. */
export function isSingleStep(workflow: Workflow): boolean {
  return workflow.steps.length === 1 && workflow.onFailure === undefined;
}

/** The request body of an action step. */
export function actionOfStep(step: WorkflowStep): DropletAction {
  return { type: step.type, ...step.params } as DropletAction;
}

function expand(
  step: PolicyStep,
  policy: Policy,
  target: WorkflowTarget,
  scheduledTime: string,
): WorkflowStep[] {
  const { type, ...params } = step.action as DropletAction & Record<string, unknown>;
  if (type === 'snapshot') {
    params.name = renderSnapshotName(step.snapshotNameTemplate ?? DEFAULT_SNAPSHOT_NAME_TEMPLATE, {
      policy: policy.name,
      dropletId: target.id,
      dropletName: target.name,
      scheduledTime,
    });
  }
  const own: WorkflowStep = {
    type,
    ...(Object.keys(params).length > 0 ? { params } : {}),
    timeoutMinutes: step.timeoutMinutes,
  };
  if (step.fallback === undefined) return [own];
  return [
    own,
    {
      type: step.fallback,
      timeoutMinutes: ACTION_CATALOG[step.fallback].defaultTimeoutMinutes,
      afterFailure: true,
      unlessDroplet: 'off',
    },
  ];
}
