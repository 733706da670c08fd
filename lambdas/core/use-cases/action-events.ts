import { DETAIL_TYPES, type ActionEventDetail, type SchedulerEvent } from '../events/scheduler-event';
import type { ActionRecord } from '../ledger/action-record';

/** The event for an item that has just reached a terminal status, or none for `skipped`. */
export function actionEventFor(record: ActionRecord): SchedulerEvent | undefined {
  if (record.status === 'skipped' || record.status === 'pending' || record.status === 'in-progress')
    return undefined;
  const started = record.startedAt ? Date.parse(record.startedAt) : undefined;
  const completed = record.completedAt ? Date.parse(record.completedAt) : undefined;
  const detail: ActionEventDetail = {
    policy: record.policy,
    scheduledTime: record.scheduledTime,
    dropletId: record.dropletId,
    dropletName: record.dropletName ?? null,
    actionId: record.actionId ?? null,
    type: record.type,
    status: record.status,
    startedAt: record.startedAt ?? null,
    completedAt: record.completedAt ?? null,
    durationSeconds:
      started !== undefined && completed !== undefined ? Math.round((completed - started) / 1000) : null,
    error: record.lastError ?? null,
    parentActionId: record.parentActionId ?? null,
  };
  return record.status === 'completed'
    ? { detailType: DETAIL_TYPES.completed, detail }
    : { detailType: DETAIL_TYPES.failed, detail };
}
