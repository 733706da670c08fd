import { DETAIL_TYPES, type SchedulerEvent } from '../events/scheduler-event';
import { describeItem, idOf } from '../ledger/item-id';
import type { LedgerRecord } from '../ledger/ledger-record';

/**
 * The event an item owes once it has reached a final status, or none. Its `eventId` is the item's
 * identity and status, the same however often it is published.
 */
export function eventFor(record: LedgerRecord): SchedulerEvent | undefined {
  const eventId = `${describeItem(idOf(record))}#${record.status}`;
  if (record.kind === 'snapshot-deletion') {
    if (record.status !== 'completed') return undefined;
    return {
      detailType: DETAIL_TYPES.snapshotDeleted,
      detail: {
        eventId,
        policy: record.policy,
        scheduledTime: record.scheduledTime,
        dropletId: record.dropletId,
        snapshotId: String(record.snapshotId),
        snapshotName: record.snapshotName,
        snapshotCreatedAt: record.snapshotCreatedAt,
        deletedAt: record.deletedAt ?? record.updatedAt,
        reason: record.rule,
      },
    };
  }
  if (record.kind !== 'action' || record.status === 'pending' || record.status === 'in-progress')
    return undefined;
  const started = record.startedAt ? Date.parse(record.startedAt) : undefined;
  const completed = record.completedAt ? Date.parse(record.completedAt) : undefined;
  const detail = {
    eventId,
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
    reason: record.reason ?? null,
    step: record.step ?? null,
    parentActionId: record.parentActionId ?? null,
  };
  if (record.status === 'completed') return { detailType: DETAIL_TYPES.completed, detail };
  if (record.status === 'skipped') return { detailType: DETAIL_TYPES.skipped, detail };
  return { detailType: DETAIL_TYPES.failed, detail };
}
