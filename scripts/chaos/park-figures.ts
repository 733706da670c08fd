import type { Figure } from '../../bench/figure';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { LineageRecord } from '../../lambdas/core/ledger/lineage-record';
import type { RunRecord } from '../../lambdas/core/ledger/run-record';
import { parkSnapshotName } from '../../lambdas/core/parking/park-snapshot-name';
import type { HistoryEvent, SimulatorStateView } from '../../simulator';
import type { ChaosPolicyView } from './chaos-figures';

/** The infix of every park snapshot's name (`<park policy>--park--<droplet>-<stamp>`). */
const PARK_INFIX = '--park--';

/** What parking must carry over, as DigitalOcean shows a droplet. */
export interface ObservedSpec {
  readonly name: string;
  readonly region: string;
  readonly size: string;
  /** Sorted. */
  readonly tags: readonly string[];
  readonly vpcUuid: string;
  readonly reservedIp: string | null;
  /** Sorted. */
  readonly volumeIds: readonly string[];
  /** Firewalls that name it by id, sorted. */
  readonly firewallIds: readonly string[];
  readonly projectId: string | null;
  readonly ipv6: boolean;
  readonly monitoring: boolean;
  readonly backups: boolean;
}

/** The fields the issue's acceptance names (`park.spec_mismatches`); the rest are `park.restore_mismatches`. */
const CORE_FIELDS = ['name', 'region', 'size', 'tags', 'vpcUuid', 'reservedIp'] as const;
const RESTORED_FIELDS = ['volumeIds', 'firewallIds', 'projectId', 'ipv6', 'monitoring', 'backups'] as const;

/** A droplet of the run's fleet as it was before anything parked it. */
export interface TrackedDroplet {
  /** Its id then: the lineage id once it is parked. */
  readonly id: number;
  /** The tag of its parking group. */
  readonly tag: string;
  /** True for the droplets every park must skip and nothing may touch. */
  readonly skipped: boolean;
  readonly spec: ObservedSpec;
}

/** One cycle of one group as the figures need it: its two policies and their ticks. */
export interface ParkCycleView {
  readonly tag: string;
  readonly parkPolicy: string;
  readonly unparkPolicy: string;
  /** ISO 8601. */
  readonly parkTick: string;
  readonly unparkTick: string;
  readonly keepSnapshots: number;
}

export interface ParkObservation {
  readonly cycles: readonly ParkCycleView[];
  readonly tracked: readonly TrackedDroplet[];
  /** Every item of the park and unpark policies (runs and actions). */
  readonly records: readonly LedgerRecord[];
  /** Every lineage in the ledger. */
  readonly lineages: readonly LineageRecord[];
  readonly history: readonly HistoryEvent[];
  /** The simulator at the end. */
  readonly final: Pick<
    SimulatorStateView,
    'droplets' | 'snapshots' | 'reservedIps' | 'volumes' | 'firewalls' | 'projects' | 'actions'
  >;
  /** When the harness finished setting the account up (epoch ms): an action on a skipped droplet after it touched it. */
  readonly setupEndedAt: number;
  /** The simulator's time scale: a wall-clock minute is this many of DigitalOcean's. */
  readonly timeScale: number;
}

export interface ParkFinding {
  readonly figure: string;
  readonly detail: string;
}

export interface ParkFigures {
  readonly figures: Figure[];
  readonly findings: ParkFinding[];
  readonly summary: string[];
}

/** What a droplet looks like to the figures, from the simulator's state. */
export function observedSpec(
  state: Pick<SimulatorStateView, 'reservedIps' | 'volumes' | 'firewalls' | 'projects'>,
  droplet: SimulatorStateView['droplets'][number],
): ObservedSpec {
  const urn = `do:droplet:${droplet.id}`;
  return {
    name: droplet.name,
    region: droplet.regionSlug,
    size: droplet.sizeSlug,
    tags: [...droplet.tags].sort(),
    vpcUuid: droplet.vpcUuid,
    reservedIp: state.reservedIps.find((ip) => ip.dropletId === droplet.id)?.ip ?? null,
    volumeIds: state.volumes
      .filter((volume) => volume.dropletIds.includes(droplet.id))
      .map((volume) => volume.id)
      .sort(),
    firewallIds: state.firewalls
      .filter((firewall) => firewall.dropletIds.includes(droplet.id))
      .map((firewall) => firewall.id)
      .sort(),
    projectId:
      state.projects.find((project) => project.resources.some((resource) => resource.urn === urn))?.id ??
      null,
    ipv6: droplet.ipv6,
    monitoring: droplet.monitoring,
    backups: droplet.backups,
  };
}

/**
 * The parking figures, from the simulator's own record (its history of creates, destroys and
 * snapshots, and its state at the end) and the ledger. Pure: the harness gathers, this judges.
 *
 * - `park.destroyed_without_snapshot`: a `DELETE /v2/droplets/{id}` before this park's snapshot of
 *   the droplet was taken with a size (or after it was deleted).
 * - `park.duplicate_creates`: `POST /v2/droplets` beyond one per park snapshot (one lineage, one
 *   unpark): each park takes a new snapshot, and each unpark creates from it once.
 * - `park.spec_mismatches`: a parked droplet running at the end whose name, region, size, tags, VPC
 *   or reserved IP differ from the droplet's before its first park, or whose name more than one
 *   droplet has.
 * - `park.restore_mismatches`: the same for its volumes, firewalls by id, project, IPv6, monitoring
 *   and backups.
 * - `park.orphaned_snapshots`: a park snapshot left at the end that is neither the one a parked
 *   lineage needs nor one of the newest `keepSnapshots` a lineage recorded.
 * - `park.snapshots_deleted_early`: a park snapshot deleted before any droplet was created from it.
 * - `park.incomplete_cycles`: a cycle of a parkable droplet without its destroy, or without its
 *   restore completed (the droplet left parked or not parked at all), with each step's status.
 * - `park.skipped_touched`: a droplet its policy may not park that was acted on, destroyed, or
 *   not recorded `skipped` at a park tick.
 * - `park.unpark_minutes_p95`: from an unpark tick to its restore step completed, in
 *   DigitalOcean's minutes (wall-clock time times the time scale), 95th percentile.
 */
export function computeParkFigures(observation: ParkObservation): ParkFigures {
  const findings: ParkFinding[] = [];
  const items = observation.records.filter((record): record is ActionRecord => record.kind === 'action');
  const lineageOf = lineageIndex(observation.lineages);
  const destroyedWithoutSnapshot = judgeDestroys(observation, items, findings);
  const duplicateCreates = judgeCreates(observation, items, lineageOf, findings);
  const mismatches = judgeSpecs(observation, findings);
  const orphans = judgeLeftSnapshots(observation, items, lineageOf, findings);
  const deletedEarly = judgeDeletedSnapshots(observation, findings);
  const cycles = judgeCycles(observation, items, findings);
  const touched = judgeSkipped(observation, items, findings);
  const unparkMinutes = unparkDurations(observation, items).map(
    (ms) => (ms * observation.timeScale) / 60_000,
  );
  const lineageStatuses = countBy(observation.lineages.map((lineage) => lineage.status));
  return {
    figures: [
      {
        name: 'park.destroyed_without_snapshot',
        value: destroyedWithoutSnapshot,
        unit: 'droplets',
        goal: { max: 0 },
      },
      { name: 'park.duplicate_creates', value: duplicateCreates, unit: 'droplets', goal: { max: 0 } },
      { name: 'park.spec_mismatches', value: mismatches.core, unit: 'droplets', goal: { max: 0 } },
      { name: 'park.restore_mismatches', value: mismatches.restored, unit: 'droplets', goal: { max: 0 } },
      { name: 'park.orphaned_snapshots', value: orphans, unit: 'snapshots', goal: { max: 0 } },
      { name: 'park.snapshots_deleted_early', value: deletedEarly, unit: 'snapshots', goal: { max: 0 } },
      { name: 'park.incomplete_cycles', value: cycles.incomplete, unit: 'cycles', goal: { max: 0 } },
      { name: 'park.skipped_touched', value: touched, unit: 'droplets', goal: { max: 0 } },
      {
        name: 'park.unpark_minutes_p95',
        value: percentile(unparkMinutes, 0.95),
        unit: 'min (DigitalOcean time)',
      },
    ],
    findings,
    summary: [
      `parking: ${cycles.complete} of ${cycles.complete + cycles.incomplete} droplet cycles complete (park, destroy, create, restore); ` +
        `${observation.history.filter((event) => event.kind === 'droplet-destroyed').length} destroys, ` +
        `${observation.history.filter((event) => event.kind === 'droplet-created').length} creates; ` +
        `lineages ${[...lineageStatuses].map(([status, count]) => `${count} ${status}`).join(', ') || 'none'}`,
      `unpark (tick to restore completed): ${unparkMinutes.length} measured, p50 ${round(percentile(unparkMinutes, 0.5))} min, ` +
        `p95 ${round(percentile(unparkMinutes, 0.95))} min, max ${round(Math.max(0, ...unparkMinutes))} min of DigitalOcean time ` +
        `(wall clock x${observation.timeScale}: p95 ${round((percentile(unparkMinutes, 0.95) * 60) / observation.timeScale)} s)`,
    ],
  };
}

/**
 * The targets each park or unpark tick had to record an item for, for the standard `lost`
 * figure: a park tick, every droplet of its tag alive both when its run was first claimed and
 * when it was dispatched (a droplet created or destroyed in between may or may not have been
 * listed); an unpark tick, every droplet its park policy had destroyed (recorded) before the run.
 */
export function parkPolicyViews(
  observation: Pick<ParkObservation, 'cycles' | 'tracked' | 'records' | 'history'>,
): ChaosPolicyView[] {
  const items = observation.records.filter((record): record is ActionRecord => record.kind === 'action');
  const lives = dropletLives(observation.tracked, observation.history);
  const aliveAt = (tag: string, at: number) =>
    lives.filter((life) => life.tags.includes(tag) && life.from <= at && at < life.to).map((life) => life.id);
  return observation.cycles.flatMap((cycle) => {
    const initial = observation.tracked
      .filter((droplet) => droplet.tag === cycle.tag)
      .map((droplet) => droplet.id);
    const destroys = items.filter(
      (item) => item.policy === cycle.parkPolicy && item.type === 'destroy' && item.status === 'completed',
    );
    return [
      {
        name: cycle.parkPolicy,
        type: 'shutdown',
        targets: initial,
        targetsOf: (run: RunRecord) => {
          const later = new Set(aliveAt(cycle.tag, Date.parse(run.updatedAt)));
          return aliveAt(cycle.tag, Date.parse(run.claimedAt)).filter((id) => later.has(id));
        },
      },
      {
        name: cycle.unparkPolicy,
        type: 'power_on',
        targets: initial,
        targetsOf: (run: RunRecord) =>
          destroys
            .filter((item) => Date.parse(item.completedAt ?? item.updatedAt) <= Date.parse(run.claimedAt))
            .map((item) => item.dropletId),
      },
    ];
  });
}

interface DropletLife {
  readonly id: number;
  readonly tags: readonly string[];
  /** Epoch ms: created (or -Infinity for the start fleet) and destroyed (or +Infinity). */
  readonly from: number;
  readonly to: number;
}

function dropletLives(tracked: readonly TrackedDroplet[], history: readonly HistoryEvent[]): DropletLife[] {
  const destroyedAt = new Map<number, number>();
  for (const event of history)
    if (event.kind === 'droplet-destroyed') destroyedAt.set(event.dropletId, event.at);
  const lives: DropletLife[] = tracked.map((droplet) => ({
    id: droplet.id,
    tags: droplet.spec.tags,
    from: Number.NEGATIVE_INFINITY,
    to: destroyedAt.get(droplet.id) ?? Number.POSITIVE_INFINITY,
  }));
  for (const event of history) {
    if (event.kind !== 'droplet-created') continue;
    lives.push({
      id: event.dropletId,
      tags: event.tags,
      from: event.at,
      to: destroyedAt.get(event.dropletId) ?? Number.POSITIVE_INFINITY,
    });
  }
  return lives;
}

function lineageIndex(lineages: readonly LineageRecord[]): (dropletId: number) => LineageRecord | undefined {
  const byDroplet = new Map<number, LineageRecord>();
  for (const lineage of lineages) for (const id of lineage.dropletIds) byDroplet.set(id, lineage);
  return (dropletId) => byDroplet.get(dropletId);
}

function judgeDestroys(
  observation: ParkObservation,
  items: readonly ActionRecord[],
  findings: ParkFinding[],
): number {
  const taken = observation.history.filter(
    (event): event is Extract<HistoryEvent, { kind: 'snapshot-taken' }> => event.kind === 'snapshot-taken',
  );
  const deletedAt = new Map<number, number>();
  for (const event of observation.history)
    if (event.kind === 'snapshot-deleted') deletedAt.set(event.snapshotId, event.at);
  let bad = 0;
  for (const event of observation.history) {
    if (event.kind !== 'droplet-destroyed') continue;
    const destroy =
      items.find(
        (item) =>
          item.type === 'destroy' && item.dropletId === event.dropletId && item.status === 'completed',
      ) ?? items.find((item) => item.type === 'destroy' && item.dropletId === event.dropletId);
    const expected = destroy
      ? parkSnapshotName(destroy.policy, event.dropletId, destroy.scheduledTime)
      : undefined;
    const candidates = taken.filter(
      (snapshot) =>
        snapshot.dropletId === event.dropletId &&
        (expected === undefined
          ? snapshot.name.includes(`${PARK_INFIX}${event.dropletId}-`)
          : snapshot.name === expected),
    );
    const listed = candidates.find(
      (snapshot) =>
        snapshot.at <= event.at &&
        snapshot.sizeGigabytes > 0 &&
        (deletedAt.get(snapshot.snapshotId) ?? Number.POSITIVE_INFINITY) > event.at,
    );
    if (listed) continue;
    bad += 1;
    const by = destroy
      ? `${destroy.policy} @ ${destroy.scheduledTime} (destroy step ${destroy.status})`
      : 'no destroy step of any park';
    const why =
      candidates.length === 0
        ? `its park snapshot${expected ? ` ${expected}` : ''} was never taken`
        : candidates
            .map(
              (snapshot) =>
                `snapshot ${snapshot.snapshotId} ${snapshot.name} taken ${iso(snapshot.at)} with ${snapshot.sizeGigabytes} GB` +
                (deletedAt.has(snapshot.snapshotId)
                  ? `, deleted ${iso(deletedAt.get(snapshot.snapshotId)!)}`
                  : ''),
            )
            .join('; ');
    findings.push({
      figure: 'destroyed-without-snapshot',
      detail: `droplet ${event.dropletId} (${event.name}) destroyed ${iso(event.at)} by ${by}: ${why}`,
    });
  }
  return bad;
}

function judgeCreates(
  observation: ParkObservation,
  items: readonly ActionRecord[],
  lineageOf: (dropletId: number) => LineageRecord | undefined,
  findings: ParkFinding[],
): number {
  const snapshots = new Map<number, Extract<HistoryEvent, { kind: 'snapshot-taken' }>>();
  for (const event of observation.history)
    if (event.kind === 'snapshot-taken') snapshots.set(event.snapshotId, event);
  const byImage = new Map<number, Extract<HistoryEvent, { kind: 'droplet-created' }>[]>();
  for (const event of observation.history) {
    if (event.kind !== 'droplet-created') continue;
    byImage.set(event.imageId, [...(byImage.get(event.imageId) ?? []), event]);
  }
  let duplicates = 0;
  for (const [imageId, creates] of byImage) {
    if (creates.length < 2) continue;
    duplicates += creates.length - 1;
    const snapshot = snapshots.get(imageId);
    const lineage = snapshot ? lineageOf(snapshot.dropletId) : undefined;
    const steps = lineage
      ? items
          .filter((item) => item.type === 'create' && Number(item.params?.lineageId) === lineage.lineageId)
          .map((item) => `${item.policy} @ ${item.scheduledTime} ${item.status}`)
      : [];
    findings.push({
      figure: 'duplicate-create',
      detail:
        `${creates.length} droplets created from park snapshot ${imageId}${snapshot ? ` (${snapshot.name})` : ''}` +
        `${lineage ? ` of lineage ${lineage.lineageId} (${lineage.name})` : ''}: ` +
        `${creates.map((create) => `${create.dropletId} at ${iso(create.at)}`).join(', ')}; create steps: ${steps.join(', ') || 'none'}`,
    });
  }
  return duplicates;
}

function judgeSpecs(
  observation: ParkObservation,
  findings: ParkFinding[],
): { core: number; restored: number } {
  let core = 0;
  let restored = 0;
  for (const droplet of observation.tracked.filter((tracked) => !tracked.skipped)) {
    const named = observation.final.droplets.filter((candidate) => candidate.name === droplet.spec.name);
    if (named.length === 0) continue; // left parked: an incomplete cycle says so
    if (named.length > 1) {
      core += 1;
      findings.push({
        figure: 'spec-mismatch',
        detail: `${droplet.spec.name} (lineage ${droplet.id}): ${named.length} droplets of that name at the end (${named.map((one) => one.id).join(', ')})`,
      });
      continue;
    }
    const now = observedSpec(observation.final, named[0]!);
    const differ = (fields: readonly (keyof ObservedSpec)[]) =>
      fields.filter((field) => JSON.stringify(now[field]) !== JSON.stringify(droplet.spec[field]));
    const describe = (fields: readonly (keyof ObservedSpec)[]) =>
      fields
        .map((field) => `${field} ${JSON.stringify(droplet.spec[field])} -> ${JSON.stringify(now[field])}`)
        .join('; ');
    const coreDiffer = differ(CORE_FIELDS);
    const restoredDiffer = differ(RESTORED_FIELDS);
    if (coreDiffer.length > 0) {
      core += 1;
      findings.push({
        figure: 'spec-mismatch',
        detail: `${droplet.spec.name} (lineage ${droplet.id}, now droplet ${named[0]!.id}): ${describe(coreDiffer)}`,
      });
    }
    if (restoredDiffer.length > 0) {
      restored += 1;
      findings.push({
        figure: 'restore-mismatch',
        detail: `${droplet.spec.name} (lineage ${droplet.id}, now droplet ${named[0]!.id}): ${describe(restoredDiffer)}`,
      });
    }
  }
  return { core, restored };
}

function judgeLeftSnapshots(
  observation: ParkObservation,
  items: readonly ActionRecord[],
  lineageOf: (dropletId: number) => LineageRecord | undefined,
  findings: ParkFinding[],
): number {
  const keepOf = new Map(
    observation.tracked.map((droplet) => [droplet.id, keepOfTag(observation, droplet.tag)]),
  );
  // A park snapshot a lineage recorded: its park's confirm-snapshot step completed.
  const recorded = new Set(
    items
      .filter((item) => item.type === 'confirm-snapshot' && item.status === 'completed')
      .map((item) => String(item.params?.name)),
  );
  const taken = observation.history.filter(
    (event): event is Extract<HistoryEvent, { kind: 'snapshot-taken' }> =>
      event.kind === 'snapshot-taken' && event.name.includes(PARK_INFIX),
  );
  let orphans = 0;
  for (const snapshot of observation.final.snapshots.filter((one) => one.name.includes(PARK_INFIX))) {
    const lineage = lineageOf(snapshot.dropletId);
    if (
      lineage &&
      (lineage.status === 'parked' || lineage.status === 'unparking') &&
      lineage.snapshot.id === snapshot.id
    )
      continue;
    if (lineage) {
      const keep = keepOf.get(lineage.lineageId) ?? 0;
      const newest = taken
        .filter((one) => lineage.dropletIds.includes(one.dropletId) && recorded.has(one.name))
        .sort((a, b) => a.at - b.at)
        .map((one) => one.snapshotId);
      if (keep > 0 && newest.slice(-keep).includes(snapshot.id)) continue;
    }
    orphans += 1;
    const park = items.find((item) => item.type === 'snapshot' && item.params?.name === snapshot.name);
    const steps = park ? workflowSteps(items, park) : 'no park step took it';
    findings.push({
      figure: 'orphaned-snapshot',
      detail:
        `park snapshot ${snapshot.id} ${snapshot.name} of droplet ${snapshot.dropletId} left in the account; ` +
        `${lineage ? `lineage ${lineage.lineageId} is ${lineage.status} with snapshot ${lineage.snapshot.id}` : 'no lineage records the droplet'}; ` +
        `its park: ${steps}`,
    });
  }
  return orphans;
}

function judgeDeletedSnapshots(observation: ParkObservation, findings: ParkFinding[]): number {
  const createdFrom = new Map<number, number>();
  for (const event of observation.history)
    if (event.kind === 'droplet-created' && !createdFrom.has(event.imageId))
      createdFrom.set(event.imageId, event.at);
  let early = 0;
  for (const event of observation.history) {
    if (event.kind !== 'snapshot-deleted' || !event.name.includes(PARK_INFIX)) continue;
    const created = createdFrom.get(event.snapshotId);
    if (created !== undefined && created <= event.at) continue;
    early += 1;
    findings.push({
      figure: 'snapshot-deleted-early',
      detail: `park snapshot ${event.snapshotId} ${event.name} deleted ${iso(event.at)}, ${created === undefined ? 'no droplet ever created from it' : `before the droplet created from it at ${iso(created)}`}`,
    });
  }
  return early;
}

function judgeCycles(
  observation: ParkObservation,
  items: readonly ActionRecord[],
  findings: ParkFinding[],
): { complete: number; incomplete: number } {
  let complete = 0;
  let incomplete = 0;
  for (const droplet of observation.tracked.filter((tracked) => !tracked.skipped)) {
    const lineage = observation.lineages.find((one) => one.lineageId === droplet.id);
    const ids = new Set(lineage?.dropletIds ?? [droplet.id]);
    for (const cycle of observation.cycles.filter((one) => one.tag === droplet.tag)) {
      const parkItems = items.filter((item) => item.policy === cycle.parkPolicy && ids.has(item.dropletId));
      const unparkItems = items.filter(
        (item) => item.policy === cycle.unparkPolicy && Number(item.params?.lineageId) === droplet.id,
      );
      const destroyed = parkItems.some((item) => item.type === 'destroy' && item.status === 'completed');
      const restored = unparkItems.some((item) => item.type === 'restore' && item.status === 'completed');
      if (destroyed && restored) {
        complete += 1;
        continue;
      }
      incomplete += 1;
      findings.push({
        figure: 'incomplete-cycle',
        detail:
          `${droplet.spec.name} (lineage ${droplet.id}) in ${cycle.parkPolicy} @ ${cycle.parkTick}: ` +
          `park ${describeSteps(parkItems)}; unpark ${describeSteps(unparkItems)}` +
          `${lineage ? `; lineage ${lineage.status}, held by ${lineage.holder.policy} @ ${lineage.holder.scheduledTime}` : '; no lineage'}`,
      });
    }
  }
  return { complete, incomplete };
}

function judgeSkipped(
  observation: ParkObservation,
  items: readonly ActionRecord[],
  findings: ParkFinding[],
): number {
  let touched = 0;
  for (const droplet of observation.tracked.filter((tracked) => tracked.skipped)) {
    const problems: string[] = [];
    const now = observation.final.droplets.find((candidate) => candidate.id === droplet.id);
    if (!now) problems.push('it no longer exists');
    else if (now.status !== 'active') problems.push(`it is ${now.status}`);
    const acted = observation.final.actions.filter(
      (action) => action.dropletId === droplet.id && action.startedAt >= observation.setupEndedAt,
    );
    if (acted.length > 0)
      problems.push(
        `DigitalOcean ran ${acted.map((action) => `${action.type} ${action.id}`).join(', ')} on it`,
      );
    for (const cycle of observation.cycles.filter((one) => one.tag === droplet.tag)) {
      const inspect = items.find(
        (item) =>
          item.policy === cycle.parkPolicy && item.dropletId === droplet.id && item.type === 'inspect',
      );
      const others = items.filter(
        (item) =>
          item.policy === cycle.parkPolicy && item.dropletId === droplet.id && item.type !== 'inspect',
      );
      if (inspect?.status !== 'skipped')
        problems.push(
          `${cycle.parkPolicy} recorded its inspect ${inspect?.status ?? 'nowhere'}, expected skipped`,
        );
      if (others.length > 0) problems.push(`${cycle.parkPolicy} went on to ${describeSteps(others)}`);
    }
    if (problems.length === 0) continue;
    touched += 1;
    findings.push({
      figure: 'skipped-touched',
      detail: `${droplet.spec.name} (${droplet.id}): ${problems.join('; ')}`,
    });
  }
  return touched;
}

/** Wall-clock milliseconds from each unpark tick to its restore step completed. */
function unparkDurations(observation: ParkObservation, items: readonly ActionRecord[]): number[] {
  const unparks = new Set(observation.cycles.map((cycle) => cycle.unparkPolicy));
  return items
    .filter((item) => unparks.has(item.policy) && item.type === 'restore' && item.status === 'completed')
    .map((item) => Date.parse(item.completedAt ?? item.updatedAt) - Date.parse(item.scheduledTime));
}

function keepOfTag(observation: ParkObservation, tag: string): number {
  return observation.cycles.find((cycle) => cycle.tag === tag)?.keepSnapshots ?? 0;
}

function workflowSteps(items: readonly ActionRecord[], one: ActionRecord): string {
  return describeSteps(
    items.filter(
      (item) =>
        item.policy === one.policy &&
        item.scheduledTime === one.scheduledTime &&
        item.dropletId === one.dropletId,
    ),
  );
}

/** `inspect completed, shutdown completed, snapshot timed-out (...)`, in step order. */
function describeSteps(items: readonly ActionRecord[]): string {
  if (items.length === 0) return 'no steps';
  return [...items]
    .sort((a, b) => (a.step ?? 0) - (b.step ?? 0))
    .map((item) => {
      const why = item.reason ?? item.lastError?.message;
      return `${item.type} ${item.status}${why && item.status !== 'completed' ? ` (${why})` : ''}`;
    })
    .join(', ');
}

/** Nearest-rank percentile; 0 for no values. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
