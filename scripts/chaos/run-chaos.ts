import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatFigure, meetsGoal } from '../../bench/figure';
import { ensureLedgerTable } from '../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { startDynalite, type RunningDynalite } from '../../lambdas/adapters/local/start-dynalite';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { fireTimes } from '../../lambdas/core/schedule';
import type { SimulatorStateView } from '../../simulator';
import { computeChaosFigures, type ChaosPolicyView, type SimulatedSnapshot } from './chaos-figures';
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
  argumentsFrom,
  BULK_HOLD_MS,
  BULK_TAG_SIZE,
  CHAOS_FAULTS,
  FLEET_SIZE,
  SCHEDULER_PROCESSES,
  SECOND_CLIENT_PER_MINUTE,
  TIME_SCALE,
  type ChaosProfile,
} from './chaos-profile';
import { HoldingProxy } from './holding-proxy';
import { runSlowBulkDispatcher } from './slow-bulk-dispatcher';
import { DynaliteLedger } from '../../lambdas/adapters/local/dynalite-ledger';
import { loadPolicyFile } from '../../lambdas/core/policy';
import type { Figure } from '../../bench/figure';
import type { Policy } from '../../lambdas/core/policy/policy';
import { killSchedule, minuteBoundariesBetween } from './kill-schedule';
import { runRateBudgetClient, type RateBudgetClientReport } from './rate-budget-client';
import { readLedger } from './read-ledger';
import { mergeResults } from './results-file';
import { SchedulerProcesses, type SchedulerExit } from './scheduler-processes';
import { seedSnapshots } from './seed-snapshots';
import { SimulatorProcess } from './simulator-process';

const TABLE = 'droplet-scheduler-ledger';
const REPO_ROOT = path.resolve(__dirname, '../..');
const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results.json');
/** Time between the settle phase's looks at the ledger, and the snapshot poller's looks at the simulator. */
const SETTLE_POLL_MS = 3_000;
const SNAPSHOT_POLL_MS = 5_000;
/** A tick this soon after the schedulers were spawned may pass before any of them is listening. */
const SCHEDULER_READY_MS = 15_000;
/** How long a scheduler may take to exit after SIGTERM. */
const STOP_GRACE_MS = 30_000;
/** Small disks, so that a snapshot takes seconds at the run's time scale (1 to 3 minutes per GB before it). */
const SNAPSHOT_USED_DISK_GB = 0.1;

/**
 * `npm run chaos [-- --quick] [--runs N]`: N chaos runs back to back (each with its own faults and
 * kills), then `chaos.runs_clean`, the runs with every figure at its goal.
 */
async function main(): Promise<number> {
  const { profile, runs } = argumentsFrom(process.argv.slice(2));
  const stopping = new AbortController();
  const onSignal = () => {
    if (stopping.signal.aborted) process.exit(130);
    note('interrupted: cleaning up (again to force)');
    stopping.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results: { code: number; figures: Figure[] }[] = [];
  try {
    for (let run = 1; run <= runs && !stopping.signal.aborted; run += 1) {
      if (runs > 1) note(`\n== chaos run ${run} of ${runs} ==`);
      results.push(await runOnce(profile, stopping.signal));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stopping.signal.aborted) return 130;
  const clean = results.filter((result) => result.code === 0).length;
  if (runs > 1) {
    console.log('\nper run:');
    results.forEach((result, index) =>
      console.log(
        `  run ${index + 1}: ${result.figures.map((figure) => `${figure.name.replace('chaos.', '')} ${figure.value}`).join(', ')}`,
      ),
    );
  }
  const runsClean: Figure = {
    name: 'chaos.runs_clean',
    value: clean,
    unit: `of ${runs} runs`,
    goal: { min: runs },
  };
  console.log(formatFigure(runsClean));
  if (runs > 1) await mergeResults(RESULTS_FILE, [runsClean]);
  return clean === runs ? 0 : 1;
}

/**
 * One chaos run: the simulator as its own process with faults, a dynalite ledger served here,
 * three `droplet-scheduler local` processes on the same policies (each tick delivered three
 * times, three reconcile loops), a second client on the same token, a dispatcher whose bulk POSTs
 * are held past the run's lease, random `kill -9`s with restarts; then the faults stop, the ledger
 * settles, the schedulers get SIGTERM, and the figures are computed from the ledger and the
 * simulator's own record.
 */
async function runOnce(
  profile: ChaosProfile,
  stopping: AbortSignal,
): Promise<{ code: number; figures: Figure[] }> {
  const startedAt = Date.now();

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'droplet-scheduler-chaos-'));
  const logDir = path.join(workDir, 'logs');
  await mkdir(logDir);
  let keepWorkDir = false;
  let dynalite: RunningDynalite | undefined;
  let simulator: SimulatorProcess | undefined;
  let schedulers: SchedulerProcesses | undefined;
  let proxy: HoldingProxy | undefined;
  const clientStop = new AbortController();
  try {
    note(`chaos (${profile.name}): work dir ${workDir}`);
    // A fresh fake token for this run only; it never leaves this machine.
    const token = `dop_v1_${randomBytes(32).toString('hex')}`;

    dynalite = await startDynalite({ path: path.join(workDir, 'ledger') });
    await ensureLedgerTable(dynalite.client, TABLE);
    const ledger = new DynaliteLedger({ client: dynalite.client, tableName: TABLE });

    const generated = FLEET_SIZE - profile.snapshotDroplets - profile.shutdownDroplets;
    simulator = await SimulatorProcess.start({
      repoRoot: REPO_ROOT,
      logFile: path.join(logDir, 'simulator.log'),
      token,
      droplets: generated,
      tags: { [BULK_TAG]: BULK_TAG_SIZE },
      timeScale: TIME_SCALE,
    });
    note(`simulator ${simulator.url}, dynalite ${dynalite.endpoint} (${elapsed(startedAt)})`);

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
    note(
      `seeded ${seeded.actionIds.size} snapshots on ${snapshotIds.length} droplets (${elapsed(startedAt)})`,
    );
    if (stopping.aborted) return { code: 130, figures: [] };

    // The window is fixed before the policies are written, since it is also their end date.
    const windowEnd = chaosWindowEnd(Date.now(), profile);
    const policyFile = path.join(workDir, 'policies.yaml');
    await writeFile(policyFile, policiesYaml(policies, new Date(windowEnd)));
    await simulator.setFaults({ ...CHAOS_FAULTS, dropAnswerDropletIds: overlapIds });
    proxy = await HoldingProxy.start(simulator.url, BULK_HOLD_MS);

    const snapshotsSeen = new Map<number, SimulatedSnapshot>();
    const poller = pollSnapshots(simulator, snapshotsSeen, clientStop.signal);
    schedulers = new SchedulerProcesses({
      repoRoot: REPO_ROOT,
      count: SCHEDULER_PROCESSES,
      policyFile,
      table: TABLE,
      endpoint: dynalite.endpoint,
      storeDir: path.join(workDir, 'store'),
      apiUrl: simulator.url,
      timeScale: TIME_SCALE,
      reconcileInterval: '5s',
      token,
      logDir,
    });
    schedulers.startAll();
    const secondClient = runRateBudgetClient(
      simulator.url,
      token,
      SECOND_CLIENT_PER_MINUTE,
      clientStop.signal,
    );

    const windowStart = Date.now();
    const slowBulk = runSlowBulkDispatcher({
      ledger,
      apiUrl: proxy.url,
      token,
      timeScale: TIME_SCALE,
      ticks: bulkTicks(
        (await loadPolicyFile(policyFile)).policies,
        windowStart + SCHEDULER_READY_MS,
        windowEnd,
      ),
      signal: clientStop.signal,
    });
    note(
      `chaos window until ${new Date(windowEnd).toISOString()}: ${SCHEDULER_PROCESSES} schedulers, faults ${JSON.stringify(CHAOS_FAULTS)}, second client ${SECOND_CLIENT_PER_MINUTE}/min`,
    );
    const kills = await runKills(schedulers, profile, windowStart, windowEnd, stopping);
    if (stopping.aborted) return interrupted(schedulers);
    clientStop.abort();
    const client = await secondClient;
    const slow = await slowBulk;
    await simulator.setFaults({
      serverErrorRate: 0,
      dropAfterProcessRate: 0,
      latencyMs: 0,
      dropAnswerDropletIds: [],
    });
    note(`window over after ${kills} kill(s) (${elapsed(startedAt)}); faults off, settling`);

    const policyNames = policies.map((policy) => policy.name);
    const settle = await settleLedger(ledger, policyNames, profile.settleTimeoutMs, stopping);
    if (stopping.aborted) return interrupted(schedulers);
    note(
      settle.open === 0
        ? `settled in ${Math.round(settle.ms / 1000)} s`
        : `${settle.open} open item(s) after ${Math.round(settle.ms / 1000)} s`,
    );
    const stoppedAt = Date.now();
    const exits = await schedulers.stopAll(STOP_GRACE_MS);
    const finalState = await simulator.state();
    recordSnapshots(finalState, snapshotsSeen);
    await poller.catch(() => undefined);
    const records = await readLedger(ledger, policyNames);

    const result = computeChaosFigures({
      policies: policyViews(policies, finalState),
      expectedTicks: expectedTicks(
        policies,
        windowStart + SCHEDULER_READY_MS,
        Math.min(stoppedAt, windowEnd),
      ),
      records,
      actions: finalState.actions.map((action) => ({
        id: action.id,
        type: action.type,
        dropletId: action.dropletId,
        startedAt: action.startedAt,
        status: action.status,
        params: action.params,
      })),
      seedingActionIds: seeded.actionIds,
      snapshotsSeen: [...snapshotsSeen.values()],
      snapshotsAtEnd: finalState.snapshots.map(snapshotView),
      rateLimitedResponses: finalState.rateLimited,
      endedAt: Date.now(),
    });

    printSummary(records, finalState, client, exits, kills, schedulers.startCount, result.checked);
    await proxy.drained();
    const holding = proxy.report();
    note(
      `held bulk dispatch: ${slow.claimed} tick(s) claimed by the held dispatcher (${slow.failed} failed over to another process); ` +
        `${holding.held} bulk POST(s) held ${BULK_HOLD_MS / 1000} s, ${holding.droppedUnsent} given up by their client and never sent, ${holding.sentLate} sent after their client gave up`,
    );
    result.figures.push({
      name: 'chaos.held_requests_sent_late',
      value: holding.sentLate,
      unit: 'requests',
      goal: { max: 0 },
    });
    for (const finding of result.findings.slice(0, 40)) note(`  ${finding.figure}: ${finding.detail}`);
    if (result.findings.length > 40) note(`  ... and ${result.findings.length - 40} more finding(s)`);
    for (const figure of result.figures) console.log(formatFigure(figure));
    await mergeResults(RESULTS_FILE, result.figures);

    const missed = result.figures.filter((figure) => meetsGoal(figure) === false);
    const badExits = exits.filter((exit) => exit.code !== 0 || exit.forced);
    console.log(
      `\nchaos (${profile.name}) took ${elapsed(startedAt)}; ${missed.length} figure(s) missed their goal; ` +
        `${badExits.length} scheduler(s) did not exit 0 on SIGTERM; wrote ${path.relative(process.cwd(), RESULTS_FILE)}`,
    );
    keepWorkDir = missed.length > 0 || badExits.length > 0;
    return { code: keepWorkDir ? 1 : 0, figures: result.figures };
  } catch (error) {
    keepWorkDir = true;
    throw error;
  } finally {
    clientStop.abort();
    schedulers?.killAll();
    await simulator?.stop().catch(() => undefined);
    await dynalite?.close().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    if (keepWorkDir) note(`kept ${workDir} (logs, ledger, policies) for a look`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** An interrupted run records no figures: the schedulers are stopped, and the exit code says so. */
async function interrupted(schedulers: SchedulerProcesses): Promise<{ code: number; figures: Figure[] }> {
  await schedulers.stopAll(STOP_GRACE_MS);
  note('interrupted: no figures recorded');
  return { code: 130, figures: [] };
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

async function runKills(
  schedulers: SchedulerProcesses,
  profile: ChaosProfile,
  windowStart: number,
  windowEnd: number,
  signal: AbortSignal,
): Promise<number> {
  const plan = killSchedule({
    kills: profile.kills,
    slots: SCHEDULER_PROCESSES,
    from: windowStart + 8_000,
    to: windowEnd - 5_000,
    boundaries: minuteBoundariesBetween(windowStart, windowEnd),
    random: Math.random,
  });
  let done = 0;
  for (const kill of plan) {
    while (Date.now() < kill.at && !signal.aborted) {
      await sleep(Math.min(1_000, kill.at - Date.now()), undefined, { signal }).catch(() => undefined);
      for (const slot of schedulers.restartCrashed())
        note(`scheduler ${slot} had exited by itself; restarted`);
    }
    if (signal.aborted) return done;
    const pid = await schedulers.killAndRestart(kill.slot);
    done += 1;
    note(`kill -9 scheduler ${kill.slot} (pid ${pid}) at ${new Date().toISOString()}; restarted`);
  }
  while (Date.now() < windowEnd && !signal.aborted) {
    await sleep(Math.min(1_000, windowEnd - Date.now()), undefined, { signal }).catch(() => undefined);
    for (const slot of schedulers.restartCrashed()) note(`scheduler ${slot} had exited by itself; restarted`);
  }
  return done;
}

/** Waits until no ledger item has anything left to do, within `timeoutMs`. */
async function settleLedger(
  ledger: DynaliteLedger,
  policies: readonly string[],
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ open: number; ms: number }> {
  const started = Date.now();
  let open = Number.POSITIVE_INFINITY;
  while (!signal.aborted) {
    const records = await readLedger(ledger, policies);
    // Anything with a dueAt still has something left to do: an open claim or action, a run not yet
    // dispatched, effects (an event, a next step) not yet carried out.
    open = records.filter((record) => record.dueAt !== undefined).length;
    if (open === 0 || Date.now() - started > timeoutMs) break;
    await sleep(SETTLE_POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  return { open, ms: Date.now() - started };
}

async function pollSnapshots(
  simulator: SimulatorProcess,
  seen: Map<number, SimulatedSnapshot>,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    try {
      recordSnapshots(await simulator.state(), seen);
    } catch {
      // the next look will do
    }
    await sleep(SNAPSHOT_POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

function recordSnapshots(state: SimulatorStateView, seen: Map<number, SimulatedSnapshot>): void {
  for (const snapshot of state.snapshots) seen.set(snapshot.id, snapshotView(snapshot));
}

function snapshotView(snapshot: SimulatorStateView['snapshots'][number]): SimulatedSnapshot {
  return {
    id: snapshot.id,
    name: snapshot.name,
    dropletId: snapshot.dropletId,
    createdAt: snapshot.createdAt,
  };
}

/** Every fire time of every policy in (from, to]: the ticks the ledger must have a run for. */
function expectedTicks(
  policies: readonly ChaosPolicySpec[],
  from: number,
  to: number,
): { policy: string; scheduledTime: string }[] {
  return policies.flatMap((policy) =>
    [...fireTimes(policy.schedule, { timezone: 'UTC', from: new Date(from), endDate: new Date(to + 1) })].map(
      (at) => ({ policy: policy.name, scheduledTime: at.toISOString() }),
    ),
  );
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

function printSummary(
  records: Awaited<ReturnType<typeof readLedger>>,
  state: SimulatorStateView,
  client: RateBudgetClientReport,
  exits: readonly SchedulerExit[],
  kills: number,
  starts: number,
  checked: ReturnType<typeof computeChaosFigures>['checked'],
): void {
  const statuses = new Map<string, number>();
  for (const record of records.filter((r): r is ActionRecord => r.kind === 'action'))
    statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
  const requests = Object.values(state.requestCounts).reduce((sum, count) => sum + count, 0);
  note(
    `ledger: ${checked.runs} runs (${checked.failedRuns} failed), ${checked.actionItems} action items ` +
      `(${[...statuses].map(([status, count]) => `${count} ${status}`).join(', ')}), ${checked.snapshotDeletions} snapshot deletions`,
  );
  note(
    `simulator: ${state.actions.length} actions (${checked.simulatorActions} of the policies' types), ${requests} API requests, ${state.rateLimited} answered 429`,
  );
  note(`second client: ${client.requests} GETs, ${client.rateLimited} answered 429, ${client.failed} failed`);
  note(
    `schedulers: ${starts} starts, ${kills} kill -9; exits on SIGTERM: ${exits.map(describeExit).join(', ')}`,
  );
}

function describeExit(exit: SchedulerExit): string {
  return `#${exit.slot} ${exit.forced ? 'killed after no exit' : exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}`;
}

function elapsed(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}

function note(message: string): void {
  console.error(message);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`chaos: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
