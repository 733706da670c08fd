import type { Figure } from '../../bench/figure';
import { fireTimes } from '../../lambdas/core/schedule';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { HistoryEvent, SimulatorStateView } from '../../simulator';
import {
  computeChaosFigures,
  simulatedActions,
  type ChaosPolicyView,
  type SimulatedSnapshot,
} from './chaos-figures';
import {
  BULK_TAG,
  chaosPolicies,
  policiesYaml,
  SHUTDOWN_TAG,
  SNAPSHOT_POLICY,
  SNAPSHOT_TAG,
  type ChaosPolicySpec,
} from './chaos-policies';
import {
  BULK_HOLD_MS,
  BULK_TAG_SIZE,
  CHAOS_FAULTS,
  FLEET_SIZE,
  SECOND_CLIENT_PER_MINUTE,
  TIME_SCALE,
  type ChaosProfile,
} from './chaos-profile';
import { SCHEDULER_READY_MS } from './chaos-run';
import type { ChaosScenario, PreparedScenario, WindowContext, WindowWork } from './chaos-scenario';
import { HoldingProxy } from './holding-proxy';
import { seedSnapshots } from './seed-snapshots';
import { runSlowBulkDispatcher } from './slow-bulk-dispatcher';

/** Small disks, so that a snapshot takes seconds at the run's time scale (1 to 3 minutes per GB before it). */
const SNAPSHOT_USED_DISK_GB = 0.1;

/**
 * The standard chaos run: 2,000 droplets, bulk power by tag (one request for 800 droplets, its
 * dispatch held past its lease by a proxy), per-droplet snapshots with retention, shutdowns with
 * their fallback, reboots by id, and two overlapping reboot policies every POST of which loses its
 * answer; judged by the exactly-once figures (`chaos-figures.ts`).
 */
export function standardScenario(profile: ChaosProfile): ChaosScenario {
  return {
    label: profile.name,
    fleet: {
      droplets: FLEET_SIZE - profile.snapshotDroplets - profile.shutdownDroplets,
      tags: { [BULK_TAG]: BULK_TAG_SIZE },
    },
    settleTimeoutMs: profile.settleTimeoutMs,
    kills: profile.kills,
    secondClient: { perMinute: SECOND_CLIENT_PER_MINUTE },
    prepare: async ({ simulator, token, note, elapsed }): Promise<PreparedScenario> => {
      const snapshotIds: number[] = [];
      for (let i = 0; i < profile.snapshotDroplets; i += 1)
        snapshotIds.push(
          (await simulator.addDroplet({ tags: [SNAPSHOT_TAG], usedDiskGb: SNAPSHOT_USED_DISK_GB })).id,
        );
      for (let i = 0; i < profile.shutdownDroplets; i += 1)
        await simulator.addDroplet({ tags: [SHUTDOWN_TAG], status: 'active' });
      const initial = await simulator.state();
      const untagged = initial.droplets
        .filter((droplet) => droplet.tags.length === 0 && droplet.status === 'active')
        .map((droplet) => droplet.id);
      const rebootIds = untagged.slice(0, profile.rebootDroplets);
      const overlapIds = untagged.slice(
        profile.rebootDroplets,
        profile.rebootDroplets + profile.overlapDroplets,
      );
      const policies = chaosPolicies(profile, rebootIds, overlapIds);
      const seeded = await seedSnapshots(simulator, token, seedNames, snapshotIds);
      note(`seeded ${seeded.actionIds.size} snapshots on ${snapshotIds.length} droplets (${elapsed()})`);

      // The window is fixed before the policies are written, since it is also their end date.
      const windowEnd = chaosWindowEnd(Date.now(), profile);
      let proxy: HoldingProxy | undefined;
      let slowBulk: ReturnType<typeof runSlowBulkDispatcher> | undefined;
      return {
        policyFile: policiesYaml(policies, new Date(windowEnd)),
        windowEnd,
        faults: { ...CHAOS_FAULTS, dropAnswerDropletIds: overlapIds },
        duringWindow: (context: WindowContext): WindowWork => {
          const started = HoldingProxy.start(context.simulatorUrl, BULK_HOLD_MS).then((held) => {
            proxy = held;
            slowBulk = runSlowBulkDispatcher({
              ledger: context.ledger,
              apiUrl: held.url,
              token: context.token,
              timeScale: TIME_SCALE,
              ticks: bulkTicks(context.policies, context.windowStart + SCHEDULER_READY_MS, context.windowEnd),
              signal: context.signal,
            });
          });
          return {
            finish: async () => {
              await started;
              const slow = await slowBulk!;
              return [
                `held bulk dispatch: ${slow.claimed} tick(s) claimed by the held dispatcher (${slow.failed} failed over to another process)`,
              ];
            },
            close: async () => {
              await started.catch(() => undefined);
              await slowBulk?.catch(() => undefined);
              await proxy?.close();
            },
          };
        },
        judge: async ({ records, finalState, history, expectedTicks, endedAt }) => {
          const result = computeChaosFigures({
            policies: policyViews(policies, finalState),
            expectedTicks,
            records,
            actions: simulatedActions(finalState.actions),
            seedingActionIds: seeded.actionIds,
            snapshotsSeen: snapshotsTaken(history),
            snapshotsAtEnd: finalState.snapshots.map(snapshotView),
            rateLimitedResponses: finalState.rateLimited,
            endedAt,
          });
          // Every held request has been forwarded or dropped by now, so that the report is final.
          await proxy?.drained();
          const holding = proxy?.report() ?? { held: 0, droppedUnsent: 0, sentLate: 0 };
          const sentLate: Figure = {
            name: 'chaos.held_requests_sent_late',
            value: holding.sentLate,
            unit: 'requests',
            goal: { max: 0 },
          };
          const { checked } = result;
          return {
            figures: [...result.figures, sentLate],
            findings: result.findings,
            summary: [
              `checked: ${checked.runs} runs (${checked.failedRuns} failed), ${checked.actionItems} action items, ${checked.snapshotDeletions} snapshot deletions, ${checked.simulatorActions} simulator actions of the policies' types`,
              `held bulk POSTs: ${holding.held} held ${BULK_HOLD_MS / 1000} s, ${holding.droppedUnsent} given up by their client and never sent, ${holding.sentLate} sent after their client gave up`,
            ],
          };
        },
      };
    },
  };
}

/** The bulk policies' ticks in the window, for the held dispatcher. */
function bulkTicks(policies: readonly Policy[], from: number, to: number) {
  return policies
    .filter((policy) => 'tag' in policy.targets && ['power_off', 'power_cycle'].includes(policy.action.type))
    .flatMap((policy) =>
      [...fireTimes(policy.schedule, { timezone: 'UTC', from: new Date(from), endDate: new Date(to) })].map(
        (at) => ({
          policy,
          at: at.getTime(),
        }),
      ),
    );
}

/** Own snapshots of an earlier day (retention may delete them) and foreign ones (it never may). */
function seedNames(dropletId: number): string[] {
  return [
    `${SNAPSHOT_POLICY}--${dropletId}-20260101-0000`,
    `manual-before-upgrade-${dropletId}`,
    `${SNAPSHOT_POLICY}--${dropletId}-20260102-0000`,
    // Starts like the own prefix of droplet <id>0, not of this droplet.
    `${SNAPSHOT_POLICY}--${dropletId}0-20260103-0000`,
  ];
}

/**
 * The window closes `tailMs` after the last of its `tickMinutes` wall-clock minute boundaries; the
 * first boundary is one the schedulers, spawned now, are ready for.
 */
function chaosWindowEnd(start: number, profile: ChaosProfile): number {
  const firstBoundary = Math.ceil((start + SCHEDULER_READY_MS) / 60_000) * 60_000;
  return firstBoundary + (profile.tickMinutes - 1) * 60_000 + profile.tailMs;
}

/** Every snapshot the simulator ever took (its history keeps the ones deleted since). */
function snapshotsTaken(history: readonly HistoryEvent[]): SimulatedSnapshot[] {
  return history.flatMap((event) =>
    event.kind === 'snapshot-taken'
      ? [{ id: event.snapshotId, name: event.name, dropletId: event.dropletId, createdAt: event.at }]
      : [],
  );
}

function snapshotView(snapshot: SimulatorStateView['snapshots'][number]): SimulatedSnapshot {
  return {
    id: snapshot.id,
    name: snapshot.name,
    dropletId: snapshot.dropletId,
    createdAt: snapshot.createdAt,
  };
}

function policyViews(policies: readonly ChaosPolicySpec[], state: SimulatorStateView): ChaosPolicyView[] {
  return policies.map((policy) => ({
    name: policy.name,
    type: policy.action.type,
    targets:
      'tag' in policy.target
        ? state.droplets
            .filter((droplet) => droplet.tags.includes((policy.target as { tag: string }).tag))
            .map((droplet) => droplet.id)
        : [...policy.target.dropletIds],
    keepLast: policy.keepLast,
  }));
}
