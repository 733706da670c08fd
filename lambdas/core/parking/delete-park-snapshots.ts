import { NotFoundError } from '../errors/not-found-error';
import { lineageId } from '../ledger/item-id';
import type { LineageRecord } from '../ledger/lineage-record';
import { commit } from '../state/commit';
import { sameWorkflow } from '../state/transitions';
import { done, fail, giveUp, type OperationContext, type OperationResult } from './operation';
import { lineageById, workflowOf } from './lineage-ledger';

/**
 * The unpark's last step: deletes the lineage's park snapshots but the newest `keep`, which are
 * billed by the GB-month and no longer needed once the droplet runs again. Guarded twice, like the
 * destroy: the ledger says this unpark created the droplet, and DigitalOcean, read afresh, shows it
 * active. Each deletion is recorded in the lineage after its DELETE (a repeat finds it gone: 404).
 * Past its time (`settleOnly`) it only records the deletions an earlier attempt's DELETE made.
 */
export async function deleteParkSnapshots(context: OperationContext): Promise<OperationResult> {
  const { deps, params, request } = context;
  const id = Number(params.lineageId);
  const keep = typeof params.keep === 'number' ? params.keep : 0;
  const lineage = await lineageById(deps.ledger, id);
  if (lineage?.status !== 'active' || !sameWorkflow(lineage.holder, workflowOf(context.work))) {
    return fail(
      'lineage_mismatch',
      `lineage ${id}: expected it active, created by this unpark, found ${lineage ? lineage.status : 'none'}; no snapshot deleted`,
    );
  }
  try {
    const droplet = await deps.api.getDroplet(lineage.dropletId, request);
    if (droplet.status !== 'active') {
      return fail(
        'not_deleted',
        `droplet ${droplet.id}: expected it active before its park snapshots go, found it ${droplet.status}`,
      );
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return fail(
      'not_deleted',
      `droplet ${lineage.dropletId}: expected it to exist before its park snapshots go, got 404`,
    );
  }
  const doomed = lineage.snapshots.slice(0, Math.max(0, lineage.snapshots.length - keep));
  const left: number[] = [];
  for (const snapshot of doomed) {
    if (context.settleOnly) {
      if (await stillListed(context, snapshot.id)) {
        left.push(snapshot.id);
        continue;
      }
    } else {
      try {
        await deps.api.deleteSnapshot(snapshot.id, request);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    const pruned = await commit(deps, lineageId(id), { type: 'snapshots-pruned', ids: [snapshot.id] });
    if (!pruned.ok && pruned.current?.kind === 'lineage' && listed(pruned.current, snapshot.id)) {
      return fail('lineage_mismatch', `lineage ${id}: ${pruned.refusal}`);
    }
  }
  if (left.length > 0)
    return giveUp(`park snapshot(s) ${left.join(', ')} still listed, and not deleted past its time`);
  const kept = lineage.snapshots.length - doomed.length;
  return done(
    `deleted ${doomed.length} park snapshot(s)${doomed.length > 0 ? ` (${doomed.map((snapshot) => snapshot.id).join(', ')})` : ''}; kept ${kept}`,
  );
}

async function stillListed({ deps, request }: OperationContext, snapshotId: number): Promise<boolean> {
  try {
    await deps.api.getSnapshot(snapshotId, request);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

function listed(lineage: LineageRecord, snapshotId: number): boolean {
  return lineage.snapshots.some((snapshot) => snapshot.id === snapshotId);
}
