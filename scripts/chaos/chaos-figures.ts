import type { Figure } from '../../bench/figure';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { RunRecord } from '../../lambdas/core/ledger/run-record';
import type { SnapshotDeletionRecord } from '../../lambdas/core/ledger/snapshot-deletion-record';
import { describeItem, idOf } from '../../lambdas/core/ledger/item-id';
import { isOwnSnapshot } from '../../lambdas/core/policy/snapshot-name';
import { OPERATION_TYPES } from '../../lambdas/core/workflow/workflow';

/** A policy as the figures need it: what it targets, resolved to droplet ids, and its retention. */
export interface ChaosPolicyView {
  readonly name: string;
  readonly type: string;
  /** The droplets its targets resolve to (a tag's members, or the listed ids). */
  readonly targets: readonly number[];
  /**
   * The droplets one dispatched tick must have an item for, when they differ from tick to tick (a
   * tag whose droplets parking replaces; the lineages an unpark finds parked): instead of `targets`.
   */
  readonly targetsOf?: (run: RunRecord) => readonly number[];
  /** For a snapshot policy: keep the newest N of its own snapshots per droplet. */
  readonly keepLast?: number;
}

/** One DigitalOcean action as the simulator's admin API lists it. */
export interface SimulatedAction {
  readonly id: number;
  readonly type: string;
  readonly dropletId: number;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly status: string;
  /** The request body; `name` for a snapshot. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The simulator's actions as the figures read them, whichever profile judges them. */
export function simulatedActions(actions: readonly SimulatedAction[]): SimulatedAction[] {
  return actions.map(({ id, type, dropletId, startedAt, status, params }) => ({
    id,
    type,
    dropletId,
    startedAt,
    status,
    params,
  }));
}

/** A snapshot as the simulator lists it. */
export interface SimulatedSnapshot {
  readonly id: number;
  readonly name: string;
  readonly dropletId: number;
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** Everything the run observed, from the ledger and the simulator. */
export interface ChaosObservation {
  readonly policies: readonly ChaosPolicyView[];
  /** Fire times of every policy while a scheduler was surely up: each needs a run in the ledger. */
  readonly expectedTicks: readonly { readonly policy: string; readonly scheduledTime: string }[];
  /** Every ledger item of every policy (read with queryByPolicy). */
  readonly records: readonly LedgerRecord[];
  /** Every action the simulator holds at the end. */
  readonly actions: readonly SimulatedAction[];
  /** Actions the harness itself started (seeding), which no policy owns. */
  readonly seedingActionIds: ReadonlySet<number>;
  /** Every snapshot seen at any point of the run (seeded ones, polled ones, the final list). */
  readonly snapshotsSeen: readonly SimulatedSnapshot[];
  /** The snapshots that exist at the end. */
  readonly snapshotsAtEnd: readonly SimulatedSnapshot[];
  /** The simulator's 429 count. */
  readonly rateLimitedResponses: number;
  /** When the observation was taken (epoch ms): the deletion time assumed for an unrecorded deletion. */
  readonly endedAt: number;
}

/** One finding behind a non-zero figure, for the report. */
export interface ChaosFinding {
  readonly figure: 'duplicate' | 'lost' | 'unsettled' | 'wrongly-deleted';
  readonly detail: string;
}

export interface ChaosFigures {
  readonly figures: Figure[];
  readonly findings: ChaosFinding[];
  /** Context for the report: counts of what was checked. */
  readonly checked: {
    readonly runs: number;
    readonly actionItems: number;
    readonly simulatorActions: number;
    readonly snapshotDeletions: number;
    readonly failedRuns: number;
  };
}

/**
 * The chaos figures from what the run observed. Pure: the harness gathers, this judges.
 *
 * - duplicate: a DigitalOcean action of a policy type, not recorded in the ledger, on a droplet
 *   whose latest ledger item of that type started before it already has its own recorded action.
 * - lost: a target of a dispatched tick with no ledger item; every target of a tick that should
 *   have fired and has no run at all; a DigitalOcean action with no ledger
 *   record (and no recorded action to be a duplicate of); a ledger item whose recorded action id
 *   belongs to another item too (one of them has no action of its own).
 * - unsettled: action and deletion items with something left to do: still `pending` or
 *   `in-progress`, or finished with effects (the event, the next step) not carried out.
 * - wrongly deleted: a foreign snapshot (no snapshot policy's `<policy>--<droplet>-` prefix) that
 *   disappeared, or an own one deleted while fewer than max(keepLast, 1) newer own snapshots of
 *   the same droplet existed.
 */
export function computeChaosFigures(observation: ChaosObservation): ChaosFigures {
  const records = observation.records;
  const runs = records.filter((record): record is RunRecord => record.kind === 'run');
  const items = records.filter((record): record is ActionRecord => record.kind === 'action');
  const deletions = records.filter(
    (record): record is SnapshotDeletionRecord => record.kind === 'snapshot-deletion',
  );
  const findings: ChaosFinding[] = [];

  const duplicateAndLost = judgeActions(observation, runs, items, findings);
  const lostTargets =
    countLostTargets(observation.policies, runs, items, findings) +
    countMissingTicks(observation, runs, findings);
  // Open, or finished with effects (its event, its next step) still undone.
  const unsettled = [...items, ...deletions].filter((item) => item.dueAt !== undefined);
  for (const item of unsettled)
    findings.push({
      figure: 'unsettled',
      detail: `${describeItem(idOf(item))} (${item.policy}) is ${item.status}${item.outbox ? ` with ${item.outbox.join(', ')} undone` : ''}`,
    });
  const wronglyDeleted = countWronglyDeletedSnapshots(observation, deletions, findings);

  return {
    figures: [
      {
        name: 'chaos.duplicate_actions',
        value: duplicateAndLost.duplicates,
        unit: 'actions',
        goal: { max: 0 },
      },
      {
        name: 'chaos.lost_actions',
        value: duplicateAndLost.lost + lostTargets,
        unit: 'actions',
        goal: { max: 0 },
      },
      { name: 'chaos.unsettled_actions', value: unsettled.length, unit: 'actions', goal: { max: 0 } },
      { name: 'chaos.wrongly_deleted_snapshots', value: wronglyDeleted, unit: 'snapshots', goal: { max: 0 } },
      { name: 'chaos.rate_limited_responses', value: observation.rateLimitedResponses, unit: 'responses' },
    ],
    findings,
    checked: {
      runs: runs.length,
      actionItems: items.length,
      simulatorActions: duplicateAndLost.examined,
      snapshotDeletions: deletions.length,
      failedRuns: runs.filter((run) => run.status === 'failed').length,
    },
  };
}

function judgeActions(
  observation: ChaosObservation,
  runs: readonly RunRecord[],
  items: readonly ActionRecord[],
  findings: ChaosFinding[],
): { duplicates: number; lost: number; examined: number } {
  const runClaimedAt = new Map(
    runs.map((run) => [`${run.policy}|${run.scheduledTime}`, Date.parse(run.claimedAt)]),
  );
  // A bulk tick's items are written after its POST, so an item's own claim time can be later than
  // its action; the run's claim always comes first. A follow-up is claimed before its own POST.
  const referenceTime = (item: ActionRecord): number =>
    item.parentActionId === undefined
      ? (runClaimedAt.get(`${item.policy}|${item.scheduledTime}`) ?? Date.parse(item.claimedAt))
      : Date.parse(item.claimedAt);

  let lost = 0;
  const byActionId = new Map<number, ActionRecord[]>();
  for (const item of items) {
    if (item.actionId === undefined) continue;
    byActionId.set(item.actionId, [...(byActionId.get(item.actionId) ?? []), item]);
  }
  for (const [actionId, sharing] of byActionId) {
    if (sharing.length < 2) continue;
    lost += sharing.length - 1;
    findings.push({
      figure: 'lost',
      detail: `action ${actionId} is recorded by ${sharing.length} items: ${sharing.map((item) => describeItem(idOf(item))).join(', ')}`,
    });
  }

  // DigitalOcean actions only: a parking operation (`create` among them, whose DigitalOcean action
  // is the droplet's own) is no action of its item's, and parking figures judge it.
  const operations = new Set<string>(OPERATION_TYPES);
  const types = new Set<string>(
    [
      ...observation.policies.map((policy) => policy.type),
      ...items.map((item) => item.type),
      ...items.flatMap((item) => (item.workflow ? item.workflow.steps.map((step) => step.type) : [])),
    ].filter((type) => !operations.has(type)),
  );
  const itemsByDropletType = new Map<string, ActionRecord[]>();
  for (const item of items) {
    const key = `${item.dropletId}|${item.type}`;
    itemsByDropletType.set(key, [...(itemsByDropletType.get(key) ?? []), item]);
  }

  let duplicates = 0;
  let examined = 0;
  for (const action of observation.actions) {
    if (observation.seedingActionIds.has(action.id) || !types.has(action.type)) continue;
    examined += 1;
    if (byActionId.has(action.id)) continue;
    const owner = (itemsByDropletType.get(`${action.dropletId}|${action.type}`) ?? [])
      .filter((item) => referenceTime(item) <= action.startedAt)
      .sort((a, b) => referenceTime(b) - referenceTime(a))[0];
    const started = new Date(action.startedAt).toISOString();
    if (owner?.actionId !== undefined) {
      duplicates += 1;
      findings.push({
        figure: 'duplicate',
        detail: `${action.type} action ${action.id} on droplet ${action.dropletId} (started ${started}) is unrecorded; ${describeItem(idOf(owner))} already has action ${owner.actionId}`,
      });
    } else {
      lost += 1;
      findings.push({
        figure: 'lost',
        detail: `${action.type} action ${action.id} on droplet ${action.dropletId} (started ${started}, ${action.status}) has no ledger record${owner ? `; ${describeItem(idOf(owner))} is ${owner.status} without an action id` : ''}`,
      });
    }
  }
  return { duplicates, lost, examined };
}

function countLostTargets(
  policies: readonly ChaosPolicyView[],
  runs: readonly RunRecord[],
  items: readonly ActionRecord[],
  findings: ChaosFinding[],
): number {
  const byName = new Map(policies.map((policy) => [policy.name, policy]));
  const recorded = new Set(
    items
      .filter((item) => item.parentActionId === undefined)
      .map((item) => `${item.policy}|${item.scheduledTime}|${item.dropletId}`),
  );
  let lost = 0;
  for (const run of runs) {
    if (run.status !== 'dispatched' && run.status !== 'dispatching') continue;
    const policy = byName.get(run.policy);
    const targets = policy?.targetsOf?.(run) ?? policy?.targets ?? [];
    const missing = targets.filter(
      (dropletId) => !recorded.has(`${run.policy}|${run.scheduledTime}|${dropletId}`),
    );
    lost += missing.length;
    if (missing.length > 0)
      findings.push({
        figure: 'lost',
        detail: `${describeItem(idOf(run))} (${run.policy}, run ${run.status}) has no item for ${missing.length} target(s): ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`,
      });
  }
  return lost;
}

function countMissingTicks(
  observation: ChaosObservation,
  runs: readonly RunRecord[],
  findings: ChaosFinding[],
): number {
  const claimed = new Set(runs.map((run) => `${run.policy}|${Date.parse(run.scheduledTime)}`));
  let lost = 0;
  for (const tick of observation.expectedTicks) {
    if (claimed.has(`${tick.policy}|${Date.parse(tick.scheduledTime)}`)) continue;
    const targets = observation.policies.find((policy) => policy.name === tick.policy)?.targets.length ?? 0;
    lost += targets;
    findings.push({
      figure: 'lost',
      detail: `${tick.policy} @ ${tick.scheduledTime} never ran (no run in the ledger): ${targets} target(s)`,
    });
  }
  return lost;
}

function countWronglyDeletedSnapshots(
  observation: ChaosObservation,
  deletions: readonly SnapshotDeletionRecord[],
  findings: ChaosFinding[],
): number {
  const snapshotPolicies = observation.policies.filter((policy) => policy.type === 'snapshot');
  const ownerOf = (snapshot: SimulatedSnapshot): ChaosPolicyView | undefined =>
    snapshotPolicies.find((policy) => isOwnSnapshot(snapshot.name, policy.name, snapshot.dropletId));

  const seen = new Map<number, SimulatedSnapshot>();
  for (const snapshot of observation.snapshotsSeen) seen.set(snapshot.id, snapshot);
  // A snapshot made and deleted between two polls is known from its deletion record.
  for (const deletion of deletions) {
    const id = Number(deletion.snapshotId);
    if (!seen.has(id))
      seen.set(id, {
        id,
        name: deletion.snapshotName,
        dropletId: deletion.dropletId,
        createdAt: Date.parse(deletion.snapshotCreatedAt),
      });
  }
  const atEnd = new Set(observation.snapshotsAtEnd.map((snapshot) => snapshot.id));
  const deletedAt = new Map(
    deletions
      .filter((deletion) => deletion.status === 'completed')
      .map((deletion) => [Number(deletion.snapshotId), Date.parse(deletion.deletedAt ?? deletion.updatedAt)]),
  );

  let wrong = 0;
  for (const snapshot of seen.values()) {
    if (atEnd.has(snapshot.id)) continue;
    const owner = ownerOf(snapshot);
    if (!owner) {
      wrong += 1;
      findings.push({
        figure: 'wrongly-deleted',
        detail: `foreign snapshot ${snapshot.id} "${snapshot.name}" of droplet ${snapshot.dropletId} disappeared`,
      });
      continue;
    }
    const at = deletedAt.get(snapshot.id) ?? observation.endedAt;
    const newer = [...seen.values()].filter(
      (other) =>
        other.dropletId === snapshot.dropletId &&
        ownerOf(other) === owner &&
        other.createdAt > snapshot.createdAt &&
        other.createdAt <= at,
    ).length;
    const mustKeep = Math.max(owner.keepLast ?? 1, 1);
    if (newer < mustKeep) {
      wrong += 1;
      findings.push({
        figure: 'wrongly-deleted',
        detail: `own snapshot ${snapshot.id} "${snapshot.name}" was deleted with only ${newer} newer own snapshot(s) (keepLast ${owner.keepLast ?? 'unset'})${deletedAt.has(snapshot.id) ? '' : '; no deletion record'}`,
      });
    }
  }
  return wrong;
}
