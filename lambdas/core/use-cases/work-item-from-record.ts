import { dropletActionSchema } from '../actions/droplet-action';
import type { ActionRecord } from '../ledger/action-record';
import { isOperation, powerStateAfterStep } from '../workflow/workflow';
import type { InitiateWorkItem } from './initiate-work-item';

/**
 * Rebuilds the work item of a ledger item, for the reconciler to take up a claim whose holder went
 * away. The item is self-sufficient, so no policy file is needed. A power action skips a droplet
 * that already reached the state: whatever happened to the lost attempt, nothing more is needed then.
 */
export function workItemFromRecord(record: ActionRecord): InitiateWorkItem {
  const type = record.type;
  return {
    policy: record.policy,
    ...(record.team !== undefined ? { team: record.team } : {}),
    scheduledTime: record.scheduledTime,
    dropletId: record.dropletId,
    dropletName: record.dropletName,
    diskGb: record.diskGb,
    region: record.region,
    ...(isOperation(type)
      ? { operation: { type, ...(record.params ? { params: { ...record.params } } : {}) } }
      : { action: dropletActionSchema.parse({ ...record.params, type }) }),
    timeoutMinutes: record.timeoutMinutes ?? 60,
    ...(record.workflow
      ? { workflow: structuredClone(record.workflow) as InitiateWorkItem['workflow'] }
      : {}),
    retention: record.retention ? { ...record.retention } : undefined,
    skipWhenAlreadyInState: powerStateAfterStep(type) !== undefined,
    retryUntil: record.timeoutAt ?? new Date(Date.parse(record.scheduledTime) + 3_600_000).toISOString(),
    step: record.step,
    parentActionId: record.parentActionId,
  };
}
