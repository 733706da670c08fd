import * as z from 'zod';
import { DropletSchedulerError } from '../core/errors/droplet-scheduler-error';
import { parsePolicy } from '../core/policy/parse-policy';
import type { DispatchRequest } from '../core/use-cases/dispatch-run';

const schedulerInputSchema = z.object({
  policy: z.unknown(),
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1).optional(),
});

/**
 * Reads the input every schedule carries: `{ policy, scheduledTime, executionId }`. The policy is
 * validated again, the same way the loader did at synth, so that a hand-edited schedule cannot
 * make the dispatch act on something the loader would have refused.
 */
export function parseDispatchEvent(event: unknown): DispatchRequest {
  const input = schedulerInputSchema.safeParse(event);
  if (!input.success) {
    const issue = input.error.issues[0];
    const path = issue?.path.join('.') || 'event';
    throw new DropletSchedulerError(
      'event_invalid',
      `expected an EventBridge Scheduler input { policy, scheduledTime, executionId }; ${path}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return {
    policy: parsePolicy(input.data.policy, 'schedule input'),
    scheduledTime: input.data.scheduledTime,
    executionId: input.data.executionId,
  };
}
