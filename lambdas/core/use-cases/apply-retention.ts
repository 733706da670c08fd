import { DigitalOceanError } from '../errors/digitalocean-error';
import { NotFoundError } from '../errors/not-found-error';
import { DETAIL_TYPES } from '../events/scheduler-event';
import type { ActionRecord } from '../ledger/action-record';
import { isOwnSnapshot } from '../policy/snapshot-name';
import type { Snapshot } from '../ports/droplet-api';
import { selectSnapshotsToDelete } from '../retention/select-snapshots-to-delete';
import type { UseCaseDependencies } from './use-case-dependencies';

/**
 * After a snapshot completed: deletes the policy's own snapshots of that droplet that the
 * retention rule no longer keeps, records each deletion in the ledger and publishes an event.
 * Returns how many were deleted.
 */
export async function applyRetention(deps: UseCaseDependencies, record: ActionRecord): Promise<number> {
  const justMadeName = typeof record.params?.name === 'string' ? record.params.name : undefined;
  if (!record.retention || justMadeName === undefined) return 0;
  const snapshots: Snapshot[] = [];
  for await (const page of deps.api.listDropletSnapshots(record.dropletId)) snapshots.push(...page);
  const now = deps.now();
  const decision = selectSnapshotsToDelete({
    snapshots,
    isOwn: (name) => isOwnSnapshot(name, record.policy, record.dropletId),
    justMade: { name: justMadeName },
    rule: record.retention,
    now,
  });
  if (decision.kind === 'hold') return 0;
  let deleted = 0;
  for (const { snapshot, reason } of decision.snapshots) {
    let status: 'completed' | 'errored' | 'rejected' = 'completed';
    let error: { code: string; message: string; requestId?: string } | undefined;
    try {
      await deps.api.deleteSnapshot(snapshot.id);
    } catch (failure) {
      // Already gone is what we wanted; anything else is recorded and left for the next run.
      if (!(failure instanceof NotFoundError)) {
        if (!(failure instanceof DigitalOceanError)) throw failure;
        status = failure.status >= 500 || failure.status === 0 ? 'errored' : 'rejected';
        error = {
          code: failure.id ?? failure.code,
          message: failure.apiMessage,
          requestId: failure.requestId,
        };
      }
    }
    const deletedAt = deps.now().toISOString();
    const result = await deps.ledger.recordSnapshotDeletion({
      policy: record.policy,
      scheduledTime: record.scheduledTime,
      dropletId: record.dropletId,
      snapshotId: snapshot.id,
      snapshotName: snapshot.name,
      snapshotCreatedAt: snapshot.createdAt,
      deletedAt,
      status,
      error,
    });
    if (status !== 'completed' || !result.recorded) continue;
    deleted += 1;
    await deps.events.publish([
      {
        detailType: DETAIL_TYPES.snapshotDeleted,
        detail: {
          policy: record.policy,
          scheduledTime: record.scheduledTime,
          dropletId: record.dropletId,
          snapshotId: String(snapshot.id),
          snapshotName: snapshot.name,
          snapshotCreatedAt: snapshot.createdAt,
          deletedAt,
          reason,
        },
      },
    ]);
  }
  return deleted;
}
