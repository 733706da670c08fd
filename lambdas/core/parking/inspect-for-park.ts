import { NotFoundError } from '../errors/not-found-error';
import { done, fail, skip, wait, type Operation } from './operation';
import { lineageOfDroplet } from './lineage-ledger';
import { leftRunningReason } from './park-candidates';
import { hasBackups, reservedIpOf } from './read-droplet-spec';
import { unparkUnfinished } from './unpark-unfinished';
import type { Droplet, ReservedIp } from '../ports/droplet-api';

/** What a park policy allows the droplet to lose; anything else left unsaid keeps it running. */
export interface ParkAllowance {
  readonly allowIpChange: boolean;
  readonly allowBackupLoss: boolean;
}

/**
 * What parking `droplet` would lose that the policy does not allow, in words; empty when nothing.
 * Pure, so that `plan` and `run --dry-run` list the same droplets the park tick will leave alone.
 */
export function parkingLosses(
  droplet: Droplet,
  reservedIp: ReservedIp | undefined,
  allowance: ParkAllowance,
): string[] {
  const losses: string[] = [];
  if (reservedIp === undefined && !allowance.allowIpChange) {
    losses.push(
      `its public IPv4 ${droplet.publicIpv4 ?? '(none listed)'}: without a reserved IP it gets a new one on every unpark (allowIpChange is false)`,
    );
  }
  if (hasBackups(droplet) && !allowance.allowBackupLoss) {
    const count = droplet.backupIds.length;
    losses.push(
      `its backups (${count === 0 ? 'enabled' : `${count} kept`}): destroying a droplet deletes them (allowBackupLoss is false)`,
    );
  }
  return losses;
}

/**
 * The first step of a park: reads the droplet and decides whether it may be parked at all. A
 * droplet that would lose what its policy does not allow is not touched: the step is recorded
 * `skipped` with what it would have lost, and nothing else of the park runs. A droplet whose unpark
 * is still restoring it waits for that unpark to end, so that the park records all of it.
 */
export const inspectForPark: Operation = async ({ deps, work, params, request }) => {
  let droplet: Droplet;
  try {
    droplet = await deps.api.getDroplet(work.dropletId, request);
  } catch (error) {
    if (error instanceof NotFoundError) return skip(`droplet ${work.dropletId} no longer exists`);
    throw error;
  }
  if (droplet.status !== 'active' && droplet.status !== 'off') {
    return skip(`droplet is ${droplet.status}: only an active or off droplet is parked`);
  }
  const lineage = await lineageOfDroplet(deps.ledger, droplet.id);
  if (lineage !== undefined && lineage.status !== 'active' && lineage.status !== 'parking') {
    return fail(
      'lineage_mismatch',
      `droplet ${droplet.id}: expected its lineage ${lineage.lineageId} active, found it ${lineage.status}`,
    );
  }
  const unfinished = lineage && (await unparkUnfinished(deps.ledger, lineage));
  if (unfinished) return wait(`droplet ${droplet.id} is not parked while ${unfinished}`);
  const reservedIp = await reservedIpOf(deps.api, droplet.id, request);
  const losses = parkingLosses(droplet, reservedIp, {
    allowIpChange: params.allowIpChange === true,
    allowBackupLoss: params.allowBackupLoss === true,
  });
  if (losses.length > 0) return skip(leftRunningReason(losses));
  const keeps = reservedIp ? `reserved IP ${reservedIp.ip} kept` : 'public IPv4 will change (allowed)';
  const backups = hasBackups(droplet) ? '; its backups will be deleted (allowed)' : '';
  return done(`may be parked: ${keeps}${backups}`);
};
