import * as z from 'zod';
import { dropletActionSchema } from '../actions/droplet-action';
import { OPERATION_TYPES, workflowSchema, type StepType } from '../workflow/workflow';

/**
 * One droplet's action, as it travels from dispatch (or the reconciler) to initiate through the
 * work queue. It carries everything initiate needs, so that initiate never reads the policy file;
 * where the action stands (claimed, retried, started) lives in the ledger, never in the message.
 */
export const initiateWorkItemSchema = z
  .object({
    policy: z.string().min(1),
    /** The policy's team: whose token and rate budget start the action. Absent: the default team. */
    team: z.string().min(1).optional(),
    scheduledTime: z.iso.datetime({ offset: true }),
    dropletId: z.number().int().positive(),
    dropletName: z.string().optional(),
    diskGb: z.number().nonnegative().optional(),
    region: z.string().optional(),
    /** The power state dispatch saw when it listed the tag, which saves initiate a GET. */
    observedStatus: z.enum(['new', 'active', 'off', 'archive']).optional(),
    /** DigitalOcean's request body, snapshot name already rendered; absent for a parking operation. */
    action: dropletActionSchema.optional(),
    /** A parking operation (see `lambdas/core/parking/`), instead of a droplet action. */
    operation: z
      .object({ type: z.enum(OPERATION_TYPES), params: z.record(z.string(), z.unknown()).optional() })
      .strict()
      .optional(),
    timeoutMinutes: z.number().int().positive(),
    /** The droplet's whole workflow in this tick, when it has more than one step. */
    workflow: workflowSchema.optional(),
    retention: z
      .object({ keepLast: z.number().int().optional(), maxAgeDays: z.number().int().optional() })
      .optional(),
    skipWhenAlreadyInState: z.boolean(),
    /** A busy droplet (pending event) is retried until this instant, then recorded `rejected`. */
    retryUntil: z.iso.datetime({ offset: true }),
    /** For a later step of the droplet's workflow: its number (1, 2, …), part of its ledger key. */
    step: z.number().int().positive().optional(),
    /** For a later step: the action of the step before it. */
    parentActionId: z.number().int().positive().optional(),
    /** For a later step: when the step before it started; a newer tick's action since then wins. */
    parentStartedAt: z.iso.datetime({ offset: true }).optional(),
  })
  // Unknown keys are dropped, not refused: a message queued by an older version still starts its action.
  .strip()
  .refine((item) => (item.action === undefined) !== (item.operation === undefined), {
    message: 'expected exactly one of action and operation',
  });

export type InitiateWorkItem = z.infer<typeof initiateWorkItemSchema>;

/** What a work item does: its droplet action's type, or its parking operation's. */
export function stepTypeOf(item: Pick<InitiateWorkItem, 'action' | 'operation'>): StepType {
  return (item.action?.type ?? item.operation?.type) as StepType;
}
