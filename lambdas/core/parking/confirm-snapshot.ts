import { NotFoundError } from '../errors/not-found-error';
import type { Droplet, Snapshot } from '../ports/droplet-api';
import { commit } from '../state/commit';
import { lineageId } from '../ledger/item-id';
import { done, fail, wait, type Operation } from './operation';
import { lineageOfDroplet, recordAlias, workflowOf } from './lineage-ledger';
import { describeSpec, readDropletSpec } from './read-droplet-spec';

/**
 * After the park's snapshot: makes sure DigitalOcean lists it with a size, then records the
 * droplet's whole specification and the snapshot in its lineage (the droplet's first id, kept
 * across parks). Only then may the destroy follow, and only this park's destroy.
 */
export const confirmSnapshot: Operation = async ({ deps, work, params, request }) => {
  const name = String(params.name);
  let droplet: Droplet;
  try {
    droplet = await deps.api.getDroplet(work.dropletId, request);
  } catch (error) {
    if (error instanceof NotFoundError) {
      return fail(
        'droplet_gone',
        `droplet ${work.dropletId}: expected it to exist until this park destroys it, got 404`,
      );
    }
    throw error;
  }
  let snapshot: Snapshot | undefined;
  for await (const page of deps.api.listDropletSnapshots(droplet.id, { ...request })) {
    snapshot = page.find((candidate) => candidate.name === name) ?? snapshot;
  }
  if (snapshot === undefined) return wait(`waiting for snapshot ${name} to be listed`);
  if (!(snapshot.sizeGigabytes > 0))
    return wait(`waiting for snapshot ${snapshot.id} to be listed with a size`);
  const snapshotId = Number(snapshot.id);
  const spec = await readDropletSpec(deps.api, droplet, request);
  const existing = await lineageOfDroplet(deps.ledger, droplet.id);
  const lineage = existing?.lineageId ?? droplet.id;
  const recorded = await commit(deps, lineageId(lineage), {
    type: 'park-recorded',
    init: {
      kind: 'lineage',
      policy: work.policy,
      scheduledTime: work.scheduledTime,
      lineageId: lineage,
      dropletId: droplet.id,
      spec,
      snapshot: { id: snapshotId, name: snapshot.name, sizeGb: snapshot.sizeGigabytes },
      holder: workflowOf(work),
    },
  });
  if (!recorded.ok) return fail('lineage_mismatch', `lineage ${lineage}: ${recorded.refusal}`);
  const conflict = await recordAlias(deps, droplet.id, {
    lineageId: lineage,
    policy: work.policy,
    scheduledTime: work.scheduledTime,
  });
  if (conflict !== undefined) return fail('lineage_mismatch', conflict);
  return done(
    `snapshot ${snapshotId} listed, ${snapshot.sizeGigabytes} GB; recorded in lineage ${lineage}: ${describeSpec(spec)}`,
  );
};
