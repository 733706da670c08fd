import type {
  ActionDescription,
  BulkActions,
  NewAction,
  NewRun,
  NewSnapshotDeletion,
  TerminalWithoutAction,
} from '../ports/action-ledger';
import type { ActionRecord } from './action-record';
import { actionKey, followUpKey, runKey, snapshotDeletionKey } from './ledger-keys';
import type { RunRecord } from './run-record';
import type { SnapshotDeletionRecord } from './snapshot-deletion-record';
import { toLedgerTime } from './ledger-time';

/** When a write happens, as both adapters stamp it. */
export interface WriteStamp {
  /** Ledger time of the write. */
  readonly now: string;
  /** The TTL value for items created by the write. */
  readonly expiresAt: number;
}

// Both adapters build new items here, so that an item looks the same in DynamoDB and in memory.
// Absent optional fields are left out rather than stored as undefined, as DynamoDB would.
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function optionalTime(value: string | undefined, field: string): string | undefined {
  return value === undefined ? undefined : toLedgerTime(value, field);
}

export function newRunRecord(run: NewRun, stamp: WriteStamp): RunRecord {
  const key = runKey(run.policy, run.scheduledTime);
  return compact<RunRecord>({
    ...key,
    kind: 'run',
    policy: run.policy,
    scheduledTime: toLedgerTime(run.scheduledTime, 'scheduledTime'),
    type: run.type,
    status: run.status ?? 'dispatching',
    mode: run.mode,
    targetCount: run.targetCount,
    reason: run.reason,
    executionId: run.executionId,
    dueAt:
      (run.status ?? 'dispatching') === 'dispatching' && run.dueAt !== undefined
        ? toLedgerTime(run.dueAt, 'dueAt')
        : undefined,
    policyDefinition: run.policyDefinition,
    claimedAt: stamp.now,
    updatedAt: stamp.now,
    expiresAt: stamp.expiresAt,
  });
}

/** The key of an action item: a follow-up when `parentActionId` is set. */
export function keyOfAction(
  action: Pick<ActionDescription, 'policy' | 'scheduledTime' | 'dropletId' | 'type' | 'parentActionId'>,
) {
  return action.parentActionId === undefined
    ? actionKey(action.policy, action.scheduledTime, action.dropletId)
    : followUpKey(action.policy, action.scheduledTime, action.dropletId, action.type);
}

function describedAction(action: ActionDescription, stamp: WriteStamp) {
  return {
    ...keyOfAction(action),
    kind: 'action' as const,
    policy: action.policy,
    scheduledTime: toLedgerTime(action.scheduledTime, 'scheduledTime'),
    dropletId: action.dropletId,
    dropletName: action.dropletName,
    region: action.region,
    type: action.type,
    params: action.params,
    mode: action.mode,
    diskGb: action.diskGb,
    timeoutMinutes: action.timeoutMinutes,
    fallback: action.fallback,
    retention: action.retention,
    parentActionId: action.parentActionId,
    claimedAt: stamp.now,
    updatedAt: stamp.now,
    expiresAt: stamp.expiresAt,
  };
}

/** A fresh claim: `pending`, first attempt, due for a check at `dueAt` if nobody records the answer. */
export function newActionRecord(action: NewAction, stamp: WriteStamp): ActionRecord {
  return compact<ActionRecord>({
    ...describedAction(action, stamp),
    status: 'pending',
    attempts: 1,
    sendingAt: stamp.now,
    dueAt: toLedgerTime(action.dueAt, 'dueAt'),
    timeoutAt: optionalTime(action.timeoutAt, 'timeoutAt'),
  });
}

/** An item that ends without a DigitalOcean action; `attempts` 0 as nothing was started. */
export function terminalWithoutActionRecord(
  action: ActionDescription,
  outcome: TerminalWithoutAction,
  stamp: WriteStamp,
): ActionRecord {
  return compact<ActionRecord>({
    ...describedAction(action, stamp),
    status: outcome.status,
    attempts: 0,
    reason: outcome.reason,
    lastError: outcome.status === 'rejected' ? outcome.error : undefined,
    completedAt: stamp.now,
  });
}

/** The items of a bulk POST's answer, already `in-progress`. */
export function bulkActionRecords(bulk: BulkActions, stamp: WriteStamp): ActionRecord[] {
  const dueAt = toLedgerTime(bulk.dueAt, 'dueAt');
  const timeoutAt = optionalTime(bulk.timeoutAt, 'timeoutAt');
  return bulk.actions.map((action) =>
    compact<ActionRecord>({
      ...describedAction(
        {
          policy: bulk.policy,
          scheduledTime: bulk.scheduledTime,
          type: bulk.type,
          params: bulk.params,
          mode: 'bulk',
          timeoutMinutes: bulk.timeoutMinutes,
          fallback: bulk.fallback,
          retention: bulk.retention,
          dropletId: action.dropletId,
          dropletName: action.dropletName,
          region: action.region,
          diskGb: action.diskGb,
        },
        stamp,
      ),
      status: 'in-progress',
      attempts: 1,
      actionId: action.actionId,
      startedAt: toLedgerTime(action.startedAt, 'startedAt'),
      dueAt,
      timeoutAt,
    }),
  );
}

export function newSnapshotDeletionRecord(
  deletion: NewSnapshotDeletion,
  stamp: WriteStamp,
): SnapshotDeletionRecord {
  return compact<SnapshotDeletionRecord>({
    ...snapshotDeletionKey(deletion.policy, deletion.scheduledTime, deletion.dropletId, deletion.snapshotId),
    kind: 'snapshot-deletion',
    policy: deletion.policy,
    scheduledTime: toLedgerTime(deletion.scheduledTime, 'scheduledTime'),
    dropletId: deletion.dropletId,
    status: deletion.status,
    snapshotId: deletion.snapshotId,
    snapshotName: deletion.snapshotName,
    snapshotCreatedAt: toLedgerTime(deletion.snapshotCreatedAt, 'snapshotCreatedAt'),
    deletedAt: toLedgerTime(deletion.deletedAt, 'deletedAt'),
    lastError: deletion.error,
    claimedAt: stamp.now,
    updatedAt: stamp.now,
    expiresAt: stamp.expiresAt,
  });
}
