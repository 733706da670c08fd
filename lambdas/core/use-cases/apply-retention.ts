import { DigitalOceanError } from '../errors/digitalocean-error';
import { NotFoundError } from '../errors/not-found-error';
import type { ActionRecord } from '../ledger/action-record';
import { deletionId } from '../ledger/item-id';
import type { SnapshotDeletionRecord } from '../ledger/snapshot-deletion-record';
import { isOwnSnapshot } from '../policy/snapshot-name';
import type { Snapshot } from '../ports/droplet-api';
import { selectSnapshotsToDelete } from '../retention/select-snapshots-to-delete';
import { commit } from '../state/commit';
import { runEffects } from './run-effects';
import type { UseCaseDependencies } from './use-case-dependencies';

/**
 * After a snapshot completed: deletes the policy's own snapshots of that droplet that the
 * retention rule no longer keeps. The decision rests on a fresh list of the droplet's snapshots,
 * and holds everything until the new snapshot is in it. Each deletion is claimed in the ledger
 * before its DELETE, so a crash in between is finished by the reconciler, never forgotten.
 * Returns how many were deleted.
 */
export async function applyRetention(deps: UseCaseDependencies, record: ActionRecord): Promise<number> {
  const justMadeName = typeof record.params?.name === 'string' ? record.params.name : undefined;
  if (!record.retention || justMadeName === undefined) return 0;
  const snapshots: Snapshot[] = [];
  for await (const page of deps.api.listDropletSnapshots(record.dropletId)) snapshots.push(...page);
  const decision = selectSnapshotsToDelete({
    snapshots,
    isOwn: (name) => isOwnSnapshot(name, record.policy, record.dropletId),
    justMade: { name: justMadeName },
    rule: record.retention,
    now: deps.now(),
  });
  if (decision.kind === 'hold') return 0;
  let deleted = 0;
  for (const { snapshot, reason } of decision.snapshots) {
    const claimed = await commit(
      deps,
      deletionId(record.policy, record.scheduledTime, record.dropletId, snapshot.id),
      {
        type: 'claim',
        init: {
          kind: 'snapshot-deletion',
          policy: record.policy,
          team: record.team,
          scheduledTime: record.scheduledTime,
          dropletId: record.dropletId,
          snapshotId: snapshot.id,
          snapshotName: snapshot.name,
          snapshotCreatedAt: snapshot.createdAt,
          rule: reason,
        },
      },
      null,
    );
    // Another reconciler holds or has finished this deletion.
    if (!claimed.ok) continue;
    if (await deleteSnapshot(deps, claimed.item as SnapshotDeletionRecord)) deleted += 1;
  }
  return deleted;
}

/**
 * Sends the DELETE of a claimed deletion and records what came of it: `completed` (also when the
 * snapshot was already gone), `rejected` when DigitalOcean refused, or the claim given back for a
 * later try when it could not be reached. Answers whether this call recorded it deleted.
 */
export async function deleteSnapshot(
  deps: UseCaseDependencies,
  held: SnapshotDeletionRecord,
): Promise<boolean> {
  const id = deletionId(held.policy, held.scheduledTime, held.dropletId, held.snapshotId);
  try {
    await deps.api.deleteSnapshot(held.snapshotId);
  } catch (failure) {
    if (!(failure instanceof NotFoundError)) {
      if (!(failure instanceof DigitalOceanError)) throw failure;
      if (failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
        const error = {
          code: failure.id ?? failure.code,
          message: failure.apiMessage,
          requestId: failure.requestId,
        };
        await commit(deps, id, { type: 'reject', attempts: held.attempts, error }, held);
        return false;
      }
      const retryAt = deps.timing.afterDo(deps.now(), 5 * 60_000);
      await commit(
        deps,
        id,
        { type: 'release', attempts: held.attempts, retryAt, lastAttempt: 'unknown' },
        held,
      );
      return false;
    }
  }
  const done = await commit(
    deps,
    id,
    { type: 'deleted', attempts: held.attempts, deletedAt: deps.now().toISOString() },
    held,
  );
  if (!done.ok) return false;
  await runEffects(deps, done.item);
  return true;
}
