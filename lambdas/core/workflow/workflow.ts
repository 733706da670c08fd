import * as z from 'zod';
import { ACTION_TYPES, powerStateAfter, type ActionType } from '../actions/action-catalog';
import type { Droplet } from '../ports/droplet-api';

/**
 * What parking does besides DigitalOcean's droplet actions, each a step of its own, with its own
 * ledger item and claim (see `lambdas/core/parking/`).
 */
export const OPERATION_TYPES = [
  'inspect',
  'confirm-snapshot',
  'detach-volumes',
  'destroy',
  'create',
  'wait-active',
  'restore',
  'delete-snapshot',
] as const;

export type OperationType = (typeof OPERATION_TYPES)[number];

/** A step runs a droplet action (`POST /v2/droplets/{id}/actions`) or a parking operation. */
export type StepType = ActionType | OperationType;

export function isOperation(type: string): type is OperationType {
  return (OPERATION_TYPES as readonly string[]).includes(type);
}

/** The power state a step leads to, for the power actions; none for anything else. */
export function powerStateAfterStep(type: StepType): 'off' | 'active' | undefined {
  return isOperation(type) ? undefined : powerStateAfter(type);
}

/** One step of a droplet's workflow in a tick. */
export interface WorkflowStep {
  readonly type: StepType;
  /** The action's parameters besides `type` (a snapshot's rendered name), or the operation's. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Minutes before the step is recorded `timed-out`. */
  readonly timeoutMinutes: number;
  /**
   * Runs after the step before it failed too (a fallback does), not only after it succeeded.
   * @default false
   */
  readonly afterFailure?: boolean;
  /**
   * Left out when the droplet is already in this power state when the step before it ends (the
   * `power_off` after a `shutdown` that worked): no item, nothing sent.
   * @default always run
   */
  readonly unlessDroplet?: 'off' | 'active';
}

/**
 * Steps run in order on each droplet, each only after the one before it has ended; `onFailure`
 * runs once when a step fails (errored, timed out, refused) and the next step does not run after
 * failures. A `shutdown` with a `power_off` fallback is the workflow `[shutdown, power_off
 * (after failure too, unless the droplet is off)]`; a consistent offline snapshot is
 * `[shutdown, power_off (fallback), snapshot, power_on]` with `onFailure: power_on`.
 */
export interface Workflow {
  readonly steps: readonly WorkflowStep[];
  readonly onFailure?: WorkflowStep;
}

/** How a step ended, as far as what follows is concerned. */
export type StepOutcome =
  /** Completed, or skipped because the droplet was already where the step would have put it. */
  | 'succeeded'
  /** Errored, timed out, or refused by DigitalOcean. */
  | 'failed'
  /** Left alone for a newer tick's sake: the rest of the workflow would undo it too. */
  | 'stopped';

/** The step numbered `index`: 0 … steps.length - 1, then `onFailure`. */
export function stepAt(workflow: Workflow, index: number): WorkflowStep | undefined {
  return index < workflow.steps.length
    ? workflow.steps[index]
    : index === workflow.steps.length
      ? workflow.onFailure
      : undefined;
}

/**
 * The step to start after step `index` ended with `outcome`, or undefined when the droplet's
 * workflow is over. `dropletStatus` is the droplet's power state when the step ended, which a step
 * with `unlessDroplet` needs (`needsDropletStatus` says when).
 */
export function nextStepIndex(
  workflow: Workflow,
  index: number,
  outcome: StepOutcome,
  dropletStatus?: Droplet['status'],
): number | undefined {
  if (outcome === 'stopped' || index >= workflow.steps.length) return undefined;
  let failed = outcome === 'failed';
  for (let next = index + 1; next < workflow.steps.length; next += 1) {
    const step = workflow.steps[next] as WorkflowStep;
    if (failed && !step.afterFailure) break;
    if (step.unlessDroplet !== undefined && dropletStatus === step.unlessDroplet) {
      // Not needed: the droplet is where it would have put it, as if it had run and succeeded.
      failed = false;
      continue;
    }
    return next;
  }
  return failed && workflow.onFailure ? workflow.steps.length : undefined;
}

/** Whether deciding what follows step `index` needs the droplet's power state. */
export function needsDropletStatus(workflow: Workflow | undefined, index: number): boolean {
  return workflow?.steps.slice(index + 1).some((step) => step.unlessDroplet !== undefined) ?? false;
}

const stepSchema = z
  .object({
    type: z.enum([...ACTION_TYPES, ...OPERATION_TYPES]),
    params: z.record(z.string(), z.unknown()).optional(),
    timeoutMinutes: z.number().int().positive(),
    afterFailure: z.boolean().optional(),
    unlessDroplet: z.enum(['off', 'active']).optional(),
  })
  .strict();

/** A workflow as it travels in a work item and sits on a ledger item. */
export const workflowSchema = z
  .object({ steps: z.array(stepSchema).min(1), onFailure: stepSchema.optional() })
  .strict();
