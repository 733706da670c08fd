import { NotFoundError } from '../errors/not-found-error';
import { lineageId } from '../ledger/item-id';
import type { LineageRecord } from '../ledger/lineage-record';
import type { Droplet } from '../ports/droplet-api';
import { commit } from '../state/commit';
import { sameWorkflow } from '../state/transitions';
import { done, fail, giveUp, skip, wait, type OperationContext, type OperationResult } from './operation';
import { firstStepOf, lineageById, recordAlias, workflowOf } from './lineage-ledger';

/**
 * The unpark's first step: creates the lineage's droplet again from its park snapshot, with the
 * recorded specification, and waits until it is active. A droplet is never created twice:
 *
 * - before any request, the unpark takes the lineage (`parked` → `unparking`, a conditional write),
 *   so one unpark at most may create it;
 * - before every POST, it looks the name up: a droplet of that name made from the park snapshot is
 *   the one an earlier attempt created (its answer was lost), and is adopted; any other droplet of
 *   that name is a person's, and the droplet stays parked rather than be guessed at;
 * - the POST carries the claim's deadline, so none of an ended claim reaches DigitalOcean;
 * - past its time (`settleOnly`) it only adopts what an earlier attempt created, and takes nothing.
 *
 * A snapshot deleted by hand, or a size no longer offered in the region, leaves it parked, with the
 * reason recorded and an event.
 */
export async function createFromSnapshot(context: OperationContext): Promise<OperationResult> {
  const { deps, params } = context;
  const id = Number(params.lineageId);
  const lineage = await lineageById(deps.ledger, id);
  if (lineage === undefined) return skip(`lineage ${id}: nothing recorded to unpark`);
  const me = workflowOf(context.work);
  const mine = sameWorkflow(lineage.holder, me);
  switch (lineage.status) {
    case 'active':
      // An attempt that recorded the create may have ended before its alias: record it (once) now.
      return mine
        ? aliasThenUntilActive(context, lineage.dropletId, lineage)
        : skip(`lineage ${id} already runs as droplet ${lineage.dropletId}`);
    case 'parking':
      return skip(
        `lineage ${id} is still being parked by ${lineage.holder.policy} ${lineage.holder.scheduledTime}`,
      );
    case 'unparking':
      if (mine) return createOnce(context, lineage);
      if (context.settleOnly) return giveUp(`lineage ${id} not taken over past its time`);
      return takeOver(context, lineage);
    case 'parked': {
      if (context.settleOnly) return giveUp(`lineage ${id} not taken past its time`);
      const refusal = await staysParked(context, lineage);
      if (refusal !== undefined) return skip(refusal);
      const reserved = await commit(deps, lineageId(id), {
        type: 'reserve-create',
        holder: me,
        scheduledTime: context.work.scheduledTime,
        holderFinished: false,
      });
      if (!reserved.ok) return skip(`lineage ${id}: ${reserved.refusal}`);
      return createOnce(context, reserved.item as LineageRecord);
    }
  }
}

/** Another unpark holds the lineage: taken over only once that unpark can create nothing any more. */
async function takeOver(context: OperationContext, lineage: LineageRecord): Promise<OperationResult> {
  const { deps } = context;
  const theirs = await deps.ledger.get(firstStepOf(lineage.holder));
  const open = theirs === undefined || theirs.status === 'pending' || theirs.status === 'in-progress';
  if (open) {
    return skip(
      `lineage ${lineage.lineageId} is being unparked by ${lineage.holder.policy} ${lineage.holder.scheduledTime}`,
    );
  }
  const reserved = await commit(deps, lineageId(lineage.lineageId), {
    type: 'reserve-create',
    holder: workflowOf(context.work),
    scheduledTime: context.work.scheduledTime,
    holderFinished: true,
  });
  if (!reserved.ok) return skip(`lineage ${lineage.lineageId}: ${reserved.refusal}`);
  return createOnce(context, reserved.item as LineageRecord);
}

/** Why the droplet must stay parked (its snapshot gone, its size withdrawn, its name taken), or undefined. */
async function staysParked(
  { deps, request }: OperationContext,
  lineage: LineageRecord,
): Promise<string | undefined> {
  const { spec, snapshot } = lineage;
  try {
    await deps.api.getSnapshot(snapshot.id, request);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return `stays parked: its park snapshot ${snapshot.id} (${snapshot.name}) is no longer listed; nothing to recreate it from`;
  }
  let offered = false;
  for await (const page of deps.api.listSizes({ ...request })) {
    const size = page.find((candidate) => candidate.slug === spec.size);
    if (size) offered = size.available && size.regions.includes(spec.region);
  }
  if (!offered) return `stays parked: size ${spec.size} is no longer offered in ${spec.region}`;
  const taken = await sameName({ deps, request }, spec.name);
  if (taken.length > 0) {
    return `stays parked: the name ${spec.name} is taken by droplet ${taken.map((droplet) => droplet.id).join(', ')}, which this unpark did not create`;
  }
  return undefined;
}

/** Looks the name up first; adopts what an earlier attempt created, or creates it. */
async function createOnce(context: OperationContext, lineage: LineageRecord): Promise<OperationResult> {
  const { deps, request } = context;
  const { spec, snapshot } = lineage;
  const named = await sameName(context, spec.name);
  const ours = named.find(
    (droplet) => droplet.imageId === snapshot.id && !lineage.dropletIds.includes(droplet.id),
  );
  if (ours !== undefined) return recordCreated(context, lineage, ours.id);
  if (named.length > 0) {
    const released = await commit(deps, lineageId(lineage.lineageId), {
      type: 'release-create',
      holder: workflowOf(context.work),
    });
    if (!released.ok) return fail('lineage_mismatch', `lineage ${lineage.lineageId}: ${released.refusal}`);
    return skip(
      `stays parked: the name ${spec.name} is taken by droplet ${named.map((droplet) => droplet.id).join(', ')}, which this unpark did not create`,
    );
  }
  // No droplet of this name once every earlier attempt's POST has surely landed (see the destroy).
  if (context.settleOnly) return giveUp(`droplet ${spec.name} never created, and not created past its time`);
  const created = await deps.api.createDroplet(
    {
      name: spec.name,
      region: spec.region,
      size: spec.size,
      image: snapshot.id,
      tags: [...spec.tags],
      ...(spec.vpcUuid ? { vpcUuid: spec.vpcUuid } : {}),
      ipv6: spec.ipv6,
      monitoring: spec.monitoring,
      backups: spec.backups,
    },
    request,
  );
  return recordCreated(context, lineage, created.id);
}

async function recordCreated(
  context: OperationContext,
  lineage: LineageRecord,
  dropletId: number,
): Promise<OperationResult> {
  const { deps } = context;
  const me = workflowOf(context.work);
  const created = await commit(deps, lineageId(lineage.lineageId), {
    type: 'created',
    holder: me,
    dropletId,
    at: deps.now().toISOString(),
  });
  if (created.ok) return aliasThenUntilActive(context, dropletId, created.item as LineageRecord);
  // Another attempt of this same unpark (its claim ended while it ran) recorded it first.
  const current = created.current;
  if (
    current?.kind === 'lineage' &&
    current.status === 'active' &&
    current.dropletId === dropletId &&
    sameWorkflow(current.holder, me)
  ) {
    return aliasThenUntilActive(context, dropletId, current);
  }
  return fail('lineage_mismatch', `lineage ${lineage.lineageId}: ${created.refusal}`);
}

async function aliasThenUntilActive(
  context: OperationContext,
  dropletId: number,
  lineage: LineageRecord,
): Promise<OperationResult> {
  const conflict = await recordAlias(context.deps, dropletId, {
    lineageId: lineage.lineageId,
    policy: context.work.policy,
    scheduledTime: context.work.scheduledTime,
  });
  if (conflict !== undefined) return fail('lineage_mismatch', conflict);
  return untilActive(context, dropletId, lineage);
}

async function untilActive(
  { deps, request }: OperationContext,
  dropletId: number,
  lineage: LineageRecord,
): Promise<OperationResult> {
  let droplet: Droplet;
  try {
    droplet = await deps.api.getDroplet(dropletId, request);
  } catch (error) {
    if (error instanceof NotFoundError) {
      return fail('droplet_gone', `droplet ${dropletId}: expected the droplet this unpark created, got 404`);
    }
    throw error;
  }
  if (droplet.status !== 'active')
    return wait(`waiting for droplet ${dropletId} to become active (it is ${droplet.status})`);
  return done(
    `droplet ${dropletId} created from snapshot ${lineage.snapshot.id} and active; lineage ${lineage.lineageId} runs again`,
  );
}

/** Droplets named `name` (DigitalOcean compares names case-insensitively). */
async function sameName(
  { deps, request }: Pick<OperationContext, 'deps' | 'request'>,
  name: string,
): Promise<Droplet[]> {
  const found: Droplet[] = [];
  for await (const page of deps.api.listDroplets({ name, ...request })) found.push(...page);
  return found;
}
