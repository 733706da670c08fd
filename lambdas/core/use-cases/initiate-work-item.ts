import * as z from 'zod';
import { ACTION_TYPES } from '../actions/action-catalog';
import { dropletActionSchema } from '../actions/droplet-action';

/**
 * One droplet's action, as it travels from dispatch (or the reconciler) to initiate through the
 * work queue. It carries everything initiate needs, so that initiate never reads the policy file.
 */
export const initiateWorkItemSchema = z
  .object({
    policy: z.string().min(1),
    scheduledTime: z.iso.datetime({ offset: true }),
    dropletId: z.number().int().positive(),
    dropletName: z.string().optional(),
    diskGb: z.number().nonnegative().optional(),
    region: z.string().optional(),
    /** The power state dispatch saw when it listed the tag, which saves initiate a GET. */
    observedStatus: z.enum(['new', 'active', 'off', 'archive']).optional(),
    /** DigitalOcean's request body, snapshot name already rendered. */
    action: dropletActionSchema,
    timeoutMinutes: z.number().int().positive(),
    fallback: z.enum(ACTION_TYPES).optional(),
    retention: z
      .object({ keepLast: z.number().int().optional(), maxAgeDays: z.number().int().optional() })
      .optional(),
    skipWhenAlreadyInState: z.boolean(),
    /** A busy droplet (pending event) is retried until this instant, then recorded `rejected`. */
    retryUntil: z.iso.datetime({ offset: true }),
    /** For a follow-up: the action it follows, which also selects the follow-up's ledger key. */
    parentActionId: z.number().int().positive().optional(),
    /**
     * Absent on a first delivery. On a retry we scheduled, the ledger `attempts` it was scheduled
     * under: initiate moves the claim on from exactly this value, so a duplicate retry does nothing.
     */
    expectedAttempts: z.number().int().positive().optional(),
    /** Whether the previous attempt might have started an action, so that initiate looks first. */
    previousOutcome: z.enum(['not-started', 'unknown']).optional(),
  })
  .strict();

export type InitiateWorkItem = z.infer<typeof initiateWorkItemSchema>;
