import { DigitalOceanError } from '../errors/digitalocean-error';
import { NotFoundError } from '../errors/not-found-error';
import type { LineageRecord } from '../ledger/lineage-record';
import { sameWorkflow } from '../state/transitions';
import { done, fail, wait, type OperationContext, type OperationResult } from './operation';
import { lineageById, workflowOf } from './lineage-ledger';
import { dropletUrn } from './read-droplet-spec';

/** What one pass of the restore found: done, started and waiting, or refused to touch. */
interface Progress {
  readonly restored: string[];
  readonly waiting: string[];
  readonly problems: string[];
}

/**
 * After the create: gives the new droplet back what the old one had outside its disk: the reserved
 * IP, the volumes, the firewalls that named it by id, and the project. Each part is read first and
 * done only if missing, so a repeat is harmless. Nothing is taken from another droplet: a reserved
 * IP or volume that a person gave to someone else meanwhile is reported, not moved.
 */
export async function restoreDroplet(context: OperationContext): Promise<OperationResult> {
  const { deps, params } = context;
  const id = Number(params.lineageId);
  const lineage = await lineageById(deps.ledger, id);
  if (lineage?.status !== 'active' || !sameWorkflow(lineage.holder, workflowOf(context.work))) {
    return fail(
      'lineage_mismatch',
      `lineage ${id}: expected it active, created by this unpark, found ${lineage ? lineage.status : 'none'}`,
    );
  }
  const progress: Progress = { restored: [], waiting: [], problems: [] };
  await restoreReservedIp(context, lineage, progress);
  await restoreVolumes(context, lineage, progress);
  await restoreFirewalls(context, lineage, progress);
  await restoreProject(context, lineage, progress);
  if (progress.waiting.length > 0) return wait(`waiting for ${progress.waiting.join(', ')}`);
  if (progress.problems.length > 0) {
    return fail('restore_incomplete', `droplet ${lineage.dropletId}: ${progress.problems.join('; ')}`);
  }
  return done(
    progress.restored.length === 0
      ? `droplet ${lineage.dropletId}: nothing besides the disk to restore`
      : `droplet ${lineage.dropletId}: restored ${progress.restored.join(', ')}`,
  );
}

async function restoreReservedIp(
  { deps, request }: OperationContext,
  { spec, dropletId }: LineageRecord,
  progress: Progress,
): Promise<void> {
  if (spec.reservedIp === undefined) return;
  let assignedTo: number | null | undefined;
  for await (const page of deps.api.listReservedIps({ ...request })) {
    const found = page.find((ip) => ip.ip === spec.reservedIp);
    if (found) assignedTo = found.dropletId;
  }
  if (assignedTo === undefined) {
    progress.problems.push(`reserved IP ${spec.reservedIp} no longer exists`);
  } else if (assignedTo === dropletId) {
    progress.restored.push(`reserved IP ${spec.reservedIp}`);
  } else if (assignedTo !== null) {
    progress.problems.push(
      `reserved IP ${spec.reservedIp} is assigned to droplet ${assignedTo}; not taken from it`,
    );
  } else {
    await startAction(() => deps.api.assignReservedIp(spec.reservedIp as string, dropletId, request));
    progress.waiting.push(`reserved IP ${spec.reservedIp} to be assigned`);
  }
}

async function restoreVolumes(
  { deps, request }: OperationContext,
  { spec, dropletId }: LineageRecord,
  progress: Progress,
): Promise<void> {
  for (const volumeId of spec.volumeIds) {
    try {
      const volume = await deps.api.getVolume(volumeId, request);
      if (volume.dropletIds.includes(dropletId)) {
        progress.restored.push(`volume ${volume.name}`);
      } else if (volume.dropletIds.length > 0) {
        progress.problems.push(
          `volume ${volume.name} is attached to droplet ${volume.dropletIds.join(', ')}; not taken from it`,
        );
      } else {
        await startAction(() => deps.api.attachVolume(volumeId, dropletId, volume.regionSlug, request));
        progress.waiting.push(`volume ${volume.name} to attach`);
      }
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      progress.problems.push(`volume ${volumeId} no longer exists`);
    }
  }
}

async function restoreFirewalls(
  { deps, request }: OperationContext,
  { spec, dropletId }: LineageRecord,
  progress: Progress,
): Promise<void> {
  if (spec.firewallIds.length === 0) return;
  const holding = new Map<string, readonly number[]>();
  for await (const page of deps.api.listFirewalls({ ...request })) {
    for (const firewall of page) holding.set(firewall.id, firewall.dropletIds);
  }
  for (const firewallId of spec.firewallIds) {
    const dropletIds = holding.get(firewallId);
    if (dropletIds === undefined) {
      progress.problems.push(`firewall ${firewallId} no longer exists`);
      continue;
    }
    // Adding a droplet a firewall already holds changes nothing; skipping it saves a request.
    if (!dropletIds.includes(dropletId))
      await deps.api.addDropletsToFirewall(firewallId, [dropletId], request);
    progress.restored.push(`firewall ${firewallId}`);
  }
}

async function restoreProject(
  { deps, request }: OperationContext,
  { spec, dropletId }: LineageRecord,
  progress: Progress,
): Promise<void> {
  if (spec.projectId === undefined) return;
  const urn = dropletUrn(dropletId);
  try {
    // A new droplet lands in the default project: often where it belongs already.
    let there = false;
    for await (const page of deps.api.listProjectResources(spec.projectId, { ...request })) {
      there ||= page.includes(urn);
    }
    if (!there) await deps.api.assignProjectResources(spec.projectId, [urn], request);
    progress.restored.push(`project ${spec.projectId}`);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    progress.problems.push(`project ${spec.projectId} no longer exists`);
  }
}

/**
 * Starts an attach or an assignment. One already under way (an earlier attempt's, its answer lost)
 * is refused until it ends; the next pass reads the result either way.
 */
async function startAction(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (
      error instanceof DigitalOceanError &&
      error.status >= 400 &&
      error.status < 500 &&
      !(error instanceof NotFoundError)
    ) {
      return;
    }
    throw error;
  }
}
