import { DigitalOceanError } from '../errors/digitalocean-error';
import { NotFoundError } from '../errors/not-found-error';
import { sameWorkflow } from '../state/transitions';
import { done, fail, wait, type Operation } from './operation';
import { lineageOfDroplet, workflowOf } from './lineage-ledger';

/**
 * Before the destroy: detaches the volumes the lineage recorded (a snapshot does not hold them, and
 * a volume is kept only while detached). Waits until DigitalOcean shows each detached.
 */
export const detachVolumes: Operation = async ({ deps, work, request }) => {
  const lineage = await lineageOfDroplet(deps.ledger, work.dropletId);
  if (lineage?.status !== 'parking' || !sameWorkflow(lineage.holder, workflowOf(work))) {
    return fail(
      'lineage_mismatch',
      `droplet ${work.dropletId}: expected its lineage recorded by this park, found ${
        lineage ? `lineage ${lineage.lineageId} ${lineage.status}` : 'none'
      }`,
    );
  }
  const detaching: string[] = [];
  for (const volumeId of lineage.spec.volumeIds) {
    try {
      const volume = await deps.api.getVolume(volumeId, request);
      if (!volume.dropletIds.includes(work.dropletId)) continue;
      await deps.api.detachVolume(volumeId, work.dropletId, volume.regionSlug, request);
      detaching.push(volumeId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return fail(
          'volume_gone',
          `volume ${volumeId}: expected it attached to droplet ${work.dropletId}, got 404`,
        );
      }
      // A detach already under way is refused until it ends: look again.
      if (!(error instanceof DigitalOceanError) || error.status < 400 || error.status >= 500) throw error;
      detaching.push(volumeId);
    }
  }
  if (detaching.length > 0) return wait(`waiting for volume(s) ${detaching.join(', ')} to detach`);
  const count = lineage.spec.volumeIds.length;
  return done(
    count === 0 ? 'no volumes attached' : `${count} volume(s) detached: ${lineage.spec.volumeIds.join(', ')}`,
  );
};
