import { LOCAL_TIMING } from '../../lambdas/adapters/local/create-local-runtime';
import type { Figure } from '../../bench/figure';
import { parkingWorkflow } from '../../lambdas/core/parking/parking-workflow';
import { allLineages } from '../../lambdas/core/parking/parked-targets';
import type { Policy } from '../../lambdas/core/policy/policy';
import { Timing } from '../../lambdas/core/state/timing';
import type { DropletSeed } from '../../simulator';
import { computeChaosFigures, simulatedActions } from './chaos-figures';
import { CHAOS_FAULTS, TIME_SCALE } from './chaos-profile';
import { SCHEDULER_READY_MS } from './chaos-run';
import type { ChaosScenario, PreparedScenario, ScenarioFinding } from './chaos-scenario';
import {
  computeParkFigures,
  observedSpec,
  parkPolicyViews,
  type ParkCycleView,
  type TrackedDroplet,
} from './park-figures';
import { PARK_GROUPS, parkPlan, parkPoliciesYaml, type ParkCycle, type ParkGroup } from './park-policies';
import { seedSnapshots } from './seed-snapshots';
import type { RateBudgetPace } from './rate-budget-client';
import type { SimulatorProcess } from './simulator-process';
import { StepKills } from './step-kills';

/** How long and how hard one park chaos run pushes. */
export interface ParkProfile {
  readonly name: 'park (full)' | 'park (quick)';
  /** Park → unpark cycles, each parking every group's droplets and bringing them back. */
  readonly cycles: number;
  /** Minutes from a park tick to its unpark tick, and from an unpark tick to the next park. */
  readonly parkMinutes: number;
  readonly runMinutes: number;
  /** How long the window goes on after the last unpark tick, so that kills land on its work. */
  readonly tailMs: number;
  /** `kill -9`s of one random scheduler at random moments. */
  readonly kills: number;
  /** `kill -9`s of every scheduler at once while some step's claim is held. */
  readonly stepKills: number;
  readonly settleTimeoutMs: number;
  /** The `park-fleet` droplets: with a reserved IP, volume, firewall by id and project; with a reserved IP only; with neither. */
  readonly richDroplets: number;
  readonly reservedDroplets: number;
  readonly plainDroplets: number;
  /** The `park-backed` droplets: backups on, a reserved IP. */
  readonly backedDroplets: number;
}

export const FULL_PARK_PROFILE: ParkProfile = {
  name: 'park (full)',
  cycles: 2,
  parkMinutes: 4,
  runMinutes: 2,
  tailMs: 90_000,
  kills: 8,
  stepKills: 8,
  settleTimeoutMs: 180_000,
  richDroplets: 4,
  reservedDroplets: 3,
  plainDroplets: 3,
  backedDroplets: 3,
};

export const QUICK_PARK_PROFILE: ParkProfile = {
  name: 'park (quick)',
  cycles: 1,
  parkMinutes: 3,
  runMinutes: 0,
  tailMs: 45_000,
  kills: 2,
  stepKills: 3,
  settleTimeoutMs: 90_000,
  richDroplets: 2,
  reservedDroplets: 1,
  plainDroplets: 1,
  backedDroplets: 1,
};

/** Small disks, so that a park snapshot takes seconds at the run's time scale. */
const USED_DISK_GB = 0.1;
/**
 * A kill of every scheduler lands in the first 80 s after a tick, two per tick (one early, on the
 * first steps, one a lease later, on the middle ones), at least 45 s after the last (a lease: it
 * delays the step it cut off by one), so that the park or unpark it hits still finishes before
 * the next tick needs it: a park left unfinished at its unpark tick stays parked (the unpark
 * acts on parked lineages only), and the run would judge the harness, not the scheduler.
 */
const STEP_KILLABLE_MS = 80_000;
const STEP_KILLS_PER_TICK = 2;
const STEP_KILL_GAP_MS = 45_000;
/**
 * A second client on the token: a steady trickle, and a burst now and then that spends the rest of
 * the minute, so that the schedulers meet 429s mid-park; within the token's 5,000 an hour over a
 * full run.
 */
const SECOND_CLIENT: RateBudgetPace = { perMinute: 30, burst: { requests: 150, everyMs: 90_000 } };

/**
 * The parking chaos run: a small fleet with everything parking must carry over (reserved IPs,
 * volumes, firewalls naming droplets by id, a project that is not the default, tags, VPCs, IPv6,
 * monitoring, backups), parked and unparked `cycles` times under the standard faults, random
 * kills of one scheduler and kills of all three while a step's claim is held; judged by the
 * parking figures (`park-figures.ts`) and the standard exactly-once ones.
 */
export function parkScenario(profile: ParkProfile): ChaosScenario {
  return {
    label: profile.name,
    fleet: { droplets: 0, tags: {} },
    settleTimeoutMs: profile.settleTimeoutMs,
    kills: profile.kills,
    secondClient: SECOND_CLIENT,
    prepare: async ({ simulator, token, note, elapsed }): Promise<PreparedScenario> => {
      const seeded = await seedParkFleet(simulator, profile);
      const manual = await seedSnapshots(
        simulator,
        token,
        (id) => [`manual-before-upgrade-${id}`],
        seeded.manualSnapshotOn,
      );
      const setUp = await simulator.state();
      const tracked: TrackedDroplet[] = seeded.droplets.map(({ id, group }) => ({
        id,
        tag: group.tag,
        skipped: group.skipped,
        spec: observedSpec(
          setUp,
          setUp.droplets.find((droplet) => droplet.id === id)!,
        ),
      }));
      const setupEndedAt = Date.now();
      note(
        `seeded ${tracked.length} droplets (${tracked.filter((one) => one.skipped).length} that no park may touch) and ${manual.actionIds.size} manual snapshots (${elapsed()})`,
      );

      const firstPark = Math.ceil((Date.now() + SCHEDULER_READY_MS + 5_000) / 60_000) * 60_000;
      const cycles = parkPlan({
        firstPark,
        cycles: profile.cycles,
        parkMinutes: profile.parkMinutes,
        runMinutes: profile.runMinutes,
        groups: Object.values(PARK_GROUPS),
      });
      const ticks = cycles.flatMap((cycle) => [cycle.parkAt, cycle.unparkAt]);
      const windowEnd = Math.max(...ticks) + profile.tailMs;
      let stepKills: StepKills | undefined;
      return {
        policyFile: parkPoliciesYaml(cycles, new Date(windowEnd)),
        windowEnd,
        faults: CHAOS_FAULTS,
        duringWindow: ({ ledger }) => {
          stepKills = new StepKills({
            ledger,
            maxKills: profile.stepKills,
            leaseMs: new Timing(LOCAL_TIMING).actionLeaseMs,
            ticks,
            killableMs: STEP_KILLABLE_MS,
            perTick: STEP_KILLS_PER_TICK,
            minGapMs: STEP_KILL_GAP_MS,
          });
          const killer = stepKills;
          return {
            killAllNow: () => killer.next(),
            finish: async () => [
              `kills of every scheduler while a step's claim was held: ${killer.kills}; steps interrupted: ${
                [...killer.interrupted].map(([type, count]) => `${type} ${count}`).join(', ') || 'none'
              }`,
            ],
          };
        },
        judge: async ({ policies, records, ledger, finalState, history, expectedTicks, endedAt }) => {
          const views = cycleViews(cycles);
          const observation = {
            cycles: views,
            tracked,
            records,
            lineages: await allLineages(ledger),
            history,
            final: finalState,
            setupEndedAt,
            timeScale: TIME_SCALE,
          };
          const park = computeParkFigures(observation);
          const standard = computeChaosFigures({
            policies: parkPolicyViews(observation),
            expectedTicks,
            records,
            actions: simulatedActions(finalState.actions),
            seedingActionIds: manual.actionIds,
            // Park snapshots are judged by the parking figures; the rest (the manual ones) must all stay.
            snapshotsSeen: history.flatMap((event) =>
              event.kind === 'snapshot-taken' && !event.name.includes('--park--')
                ? [
                    {
                      id: event.snapshotId,
                      name: event.name,
                      dropletId: event.dropletId,
                      createdAt: event.at,
                    },
                  ]
                : [],
            ),
            snapshotsAtEnd: finalState.snapshots
              .filter((snapshot) => !snapshot.name.includes('--park--'))
              .map(({ id, name, dropletId, createdAt }) => ({ id, name, dropletId, createdAt })),
            rateLimitedResponses: finalState.rateLimited,
            endedAt,
          });
          // The exactly-once figures under this run's own names, beside the standard run's.
          const renamed = standard.figures.map((figure) => ({
            ...figure,
            name: figure.name.replace(/^chaos\./, 'park.'),
          }));
          const findings: ScenarioFinding[] = [...park.findings, ...standard.findings];
          const coverage = stepCoverage(policies, stepKills?.interrupted ?? new Map());
          return {
            figures: [...park.figures, ...renamed, coverage.figure],
            findings,
            summary: [
              ...park.summary,
              coverage.line,
              `checked: ${standard.checked.runs} runs (${standard.checked.failedRuns} failed), ${standard.checked.actionItems} step items, ${standard.checked.simulatorActions} simulator actions of the steps' types`,
            ],
          };
        },
      };
    },
  };
}

/**
 * How many of the park and unpark workflows' step types a kill of every scheduler cut off while
 * their claim was held (the random kills of one scheduler land wherever they land): context for
 * the run, without a goal, since which steps are under way at a kill's moment is up to chance.
 */
function stepCoverage(
  policies: readonly Policy[],
  interrupted: ReadonlyMap<string, number>,
): { figure: Figure; line: string } {
  const types = new Set(
    policies.flatMap((policy) =>
      policy.parking
        ? parkingWorkflow(policy, { id: 0 }, new Date(0).toISOString()).steps.map((step) => step.type)
        : [],
    ),
  );
  const cut = [...types].filter((type) => (interrupted.get(type) ?? 0) > 0);
  const missed = [...types].filter((type) => !cut.includes(type));
  return {
    figure: {
      name: 'park.step_types_interrupted',
      value: cut.length,
      unit: `of ${types.size} step types`,
    },
    line: `step types cut off by a kill of every scheduler: ${cut.join(', ') || 'none'}; not this run: ${missed.join(', ') || 'none'}`,
  };
}

function cycleViews(cycles: readonly ParkCycle[]): ParkCycleView[] {
  return cycles.map((cycle) => ({
    tag: cycle.group.tag,
    parkPolicy: `${cycle.name}-park`,
    unparkPolicy: `${cycle.name}-unpark`,
    parkTick: new Date(cycle.parkAt).toISOString(),
    unparkTick: new Date(cycle.unparkAt).toISOString(),
    keepSnapshots: cycle.group.keepSnapshots,
  }));
}

interface SeededFleet {
  readonly droplets: { readonly id: number; readonly group: ParkGroup }[];
  /** Droplets that get a manual snapshot of their own, which parking must never delete. */
  readonly manualSnapshotOn: number[];
}

/** A VPC of its own for some droplets in fra1, so that the VPC carried over is not just the region's default. */
const OWN_VPC = '5a4e1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';

/**
 * The fleet, through the simulator's admin API: every droplet named, tagged with its group and a
 * team, with a small used disk. In `park-fleet`: rich droplets in fra1 (a reserved IP, a volume,
 * a firewall naming them by id, the project `parking-chaos`, IPv6 and monitoring, half in a VPC of
 * their own), droplets in nyc3 with a reserved IP only, and plain ones with neither (their public
 * IP may change). In `park-backed`: backups and a reserved IP. In `park-strict`: one without a
 * reserved IP, one with backups, which no park may touch.
 */
async function seedParkFleet(simulator: SimulatorProcess, profile: ParkProfile): Promise<SeededFleet> {
  const droplets: { id: number; group: ParkGroup }[] = [];
  const add = async (
    group: ParkGroup,
    name: string,
    seed: Omit<DropletSeed, 'name' | 'tags' | 'usedDiskGb'>,
    team: string,
  ) => {
    const { id } = await simulator.addDroplet({
      ...seed,
      name,
      tags: [group.tag, team],
      usedDiskGb: USED_DISK_GB,
    });
    droplets.push({ id, group });
    return id;
  };
  const rich: number[] = [];
  for (let i = 1; i <= profile.richDroplets; i += 1) {
    const id = await add(
      PARK_GROUPS.fleet,
      `pk-db-${i}`,
      {
        region: 'fra1',
        // Two sizes with small disks (10 and 25 GB): the first look at a snapshot is planned by the
        // droplet's disk size (0.4 min a GB, then aligned to a slot), so that a 60 GB disk alone
        // would hold a park a minute and a half of wall clock at x30.
        sizeSlug: i % 2 === 0 ? 's-1vcpu-512mb-10gb' : 's-1vcpu-1gb',
        ipv6: true,
        monitoring: true,
        ...(i % 2 === 0 ? { vpcUuid: OWN_VPC } : {}),
      },
      'team-data',
    );
    await simulator.addReservedIp({ dropletId: id });
    await simulator.addVolume({ name: `pk-db-${i}-data`, dropletId: id, sizeGigabytes: 10 });
    rich.push(id);
  }
  const reserved: number[] = [];
  for (let i = 1; i <= profile.reservedDroplets; i += 1) {
    const id = await add(
      PARK_GROUPS.fleet,
      `pk-web-${i}`,
      { region: 'nyc3', monitoring: i % 2 === 1 },
      'team-web',
    );
    await simulator.addReservedIp({ dropletId: id });
    reserved.push(id);
  }
  for (let i = 1; i <= profile.plainDroplets; i += 1)
    await add(PARK_GROUPS.fleet, `pk-worker-${i}`, { region: 'nyc3', ipv6: i === 1 }, 'team-web');
  for (let i = 1; i <= profile.backedDroplets; i += 1) {
    const id = await add(
      PARK_GROUPS.backed,
      `pk-backed-${i}`,
      { region: 'fra1', backups: true },
      'team-data',
    );
    await simulator.addReservedIp({ dropletId: id });
    if (i === 1) await simulator.addVolume({ name: `pk-backed-${i}-data`, dropletId: id, sizeGigabytes: 10 });
    rich.push(id);
  }
  const strictPlain = await add(PARK_GROUPS.strict, 'pk-strict-ip', { region: 'nyc3' }, 'team-web');
  const strictBacked = await add(
    PARK_GROUPS.strict,
    'pk-strict-backups',
    { region: 'nyc3', backups: true },
    'team-web',
  );
  await simulator.addReservedIp({ dropletId: strictBacked });
  await simulator.addFirewall({ name: 'pk-by-id', dropletIds: [...rich, ...reserved, strictPlain] });
  await simulator.addFirewall({ name: 'pk-by-tag', tags: ['team-data'] });
  await simulator.addProject({
    name: 'parking-chaos',
    resources: [...rich, ...reserved].map((id) => `do:droplet:${id}`),
  });
  return { droplets, manualSnapshotOn: [rich[0]!, reserved[0] ?? rich[1]!] };
}
