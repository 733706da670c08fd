import { NotFoundError } from '../errors/not-found-error';
import { actionId, lineageId } from '../ledger/item-id';
import type { LineageRecord } from '../ledger/lineage-record';
import type { Droplet, Snapshot } from '../ports/droplet-api';
import { commit } from '../state/commit';
import { sameWorkflow } from '../state/transitions';
import {
  done,
  fail,
  giveUp,
  wait,
  type Operation,
  type OperationContext,
  type OperationResult,
} from './operation';
import { lineageOfDroplet, workflowOf } from './lineage-ledger';

/**
 * The park's last step, and the one that cannot be undone: `DELETE /v2/droplets/{id}`. It runs
 * only when both agree, right before the request:
 *
 * - the ledger: this park's `confirm-snapshot` step is `completed`, and the droplet's lineage holds
 *   this park's snapshot and specification;
 * - DigitalOcean, read afresh: that snapshot is listed with a size, and the droplet is off with no
 *   volume attached (powered on by hand since its snapshot, it is not destroyed).
 *
 * The lineage is marked `parked` after the DELETE; a run that finds the droplet gone marks it then
 * (an earlier attempt's DELETE landed, its answer lost or its attempt ended before recording it).
 * Past its time (`settleOnly`) the step only does the latter.
 */
export const destroyParked: Operation = async (context) => {
  const { deps, work, request } = context;
  const lineage = await lineageOfDroplet(deps.ledger, work.dropletId);
  const mine = lineage !== undefined && sameWorkflow(lineage.holder, workflowOf(work));
  if (mine && lineage.status === 'parked' && lineage.dropletId === work.dropletId) {
    return done(`droplet ${work.dropletId} destroyed; lineage ${lineage.lineageId} parked`);
  }
  const refusal = await ledgerRefusal(context, lineage);
  if (refusal !== undefined)
    return fail('not_destroyed', `droplet ${work.dropletId} not destroyed: ${refusal}`);
  const parking = lineage as LineageRecord;
  let droplet: Droplet | undefined;
  try {
    droplet = await deps.api.getDroplet(work.dropletId, request);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  // Gone: an earlier attempt's DELETE landed. Recorded whatever the snapshot shows now (a person
  // may delete it since): the droplet is destroyed either way, and an unpark will say why not.
  if (droplet === undefined) return markParked(context, parking);
  // Still there once every earlier attempt's request has surely landed (this claim comes after
  // their leases, or a release's retry after transit): none of their DELETEs did.
  if (context.settleOnly)
    return giveUp(`droplet ${work.dropletId} never destroyed, and not destroyed past its time`);
  const unsafe = dropletRefusal(droplet);
  if (unsafe !== undefined) return unsafe;
  let snapshot: Snapshot;
  try {
    snapshot = await deps.api.getSnapshot(parking.snapshot.id, request);
  } catch (error) {
    if (error instanceof NotFoundError) {
      return fail(
        'not_destroyed',
        `droplet ${work.dropletId} not destroyed: its park snapshot ${parking.snapshot.id} is no longer listed`,
      );
    }
    throw error;
  }
  if (!(snapshot.sizeGigabytes > 0)) {
    return fail(
      'not_destroyed',
      `droplet ${work.dropletId} not destroyed: snapshot ${snapshot.id} is listed without a size`,
    );
  }
  try {
    await deps.api.deleteDroplet(work.dropletId, request);
  } catch (error) {
    // Gone already: an earlier attempt's DELETE whose answer was lost.
    if (!(error instanceof NotFoundError)) throw error;
  }
  return markParked(context, parking);
};

/** Why the ledger does not allow the destroy, or undefined when it does. */
async function ledgerRefusal(
  { deps, work }: OperationContext,
  lineage: LineageRecord | undefined,
): Promise<string | undefined> {
  const confirmStep = work.workflow?.steps.findIndex((step) => step.type === 'confirm-snapshot') ?? -1;
  if (confirmStep < 0) return 'expected a confirm-snapshot step before it in the workflow, found none';
  const confirmed = await deps.ledger.get(
    actionId(work.policy, work.scheduledTime, work.dropletId, confirmStep),
  );
  if (confirmed?.status !== 'completed') {
    return `expected this park's confirm-snapshot step completed, found it ${confirmed?.status ?? 'absent'}`;
  }
  if (lineage === undefined) return 'expected its lineage recorded, found none';
  if (lineage.status !== 'parking' || !sameWorkflow(lineage.holder, workflowOf(work))) {
    return `expected lineage ${lineage.lineageId} recorded by this park, found it ${lineage.status} by ${lineage.holder.policy} ${lineage.holder.scheduledTime}`;
  }
  if (lineage.dropletId !== work.dropletId) {
    return `expected lineage ${lineage.lineageId} to name droplet ${work.dropletId}, found ${lineage.dropletId}`;
  }
  return undefined;
}

/** Why DigitalOcean's view of the droplet forbids the destroy (or says to wait), or undefined. */
function dropletRefusal(droplet: Droplet): OperationResult | undefined {
  if (droplet.status !== 'off') {
    return fail(
      'not_destroyed',
      `droplet ${droplet.id} not destroyed: expected it off since its snapshot, found it ${droplet.status}`,
    );
  }
  if (droplet.volumeIds.length > 0)
    return wait(`waiting for volume(s) ${droplet.volumeIds.join(', ')} to detach`);
  if (droplet.locked) return wait(`waiting for droplet ${droplet.id}'s running action to end`);
  return undefined;
}

async function markParked(
  { deps, work }: OperationContext,
  lineage: LineageRecord,
): Promise<OperationResult> {
  const me = workflowOf(work);
  const parked = await commit(deps, lineageId(lineage.lineageId), {
    type: 'destroyed',
    holder: me,
    dropletId: work.dropletId,
    at: deps.now().toISOString(),
  });
  // Refused because another attempt of this same park (its claim ended while it ran) recorded it first: done.
  const already =
    !parked.ok &&
    parked.current?.kind === 'lineage' &&
    parked.current.status === 'parked' &&
    parked.current.dropletId === work.dropletId &&
    sameWorkflow(parked.current.holder, me);
  if (!parked.ok && !already)
    return fail('lineage_mismatch', `lineage ${lineage.lineageId}: ${parked.refusal}`);
  return done(
    `droplet ${work.dropletId} destroyed; lineage ${lineage.lineageId} parked in snapshot ${lineage.snapshot.id} (${lineage.snapshot.sizeGb} GB)`,
  );
}
