import { powerStateAfter } from '../actions/action-catalog';
import { dropletActionSchema } from '../actions/droplet-action';
import type { ActionRecord } from '../ledger/action-record';
import type { InitiateWorkItem } from './initiate-work-item';

/**
 * Rebuilds the work item of a ledger item, for the reconciler to take up a claim whose holder went
 * away. The item is self-sufficient, so no policy file is needed. A power action skips a droplet
 * that already reached the state: whatever happened to the lost attempt, nothing more is needed then.
 */
export function workItemFromRecord(record: ActionRecord): InitiateWorkItem {
  return {
    policy: record.policy,
    ...(record.team !== undefined ? { team: record.team } : {}),
    scheduledTime: record.scheduledTime,
    dropletId: record.dropletId,
    dropletName: record.dropletName,
    diskGb: record.diskGb,
    region: record.region,
    action: dropletActionSchema.parse({ ...record.params, type: record.type }),
    timeoutMinutes: record.timeoutMinutes ?? 60,
    fallback: record.fallback,
    retention: record.retention ? { ...record.retention } : undefined,
    skipWhenAlreadyInState: powerStateAfter(record.type) !== undefined,
    retryUntil: record.timeoutAt ?? new Date(Date.parse(record.scheduledTime) + 3_600_000).toISOString(),
    step: record.step,
    parentActionId: record.parentActionId,
  };
}
