import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatFigure, meetsGoal, type Figure } from '../../bench/figure';
import { ensureLedgerTable } from '../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { DynaliteLedger } from '../../lambdas/adapters/local/dynalite-ledger';
import { startDynalite, type RunningDynalite } from '../../lambdas/adapters/local/start-dynalite';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { loadPolicyFile } from '../../lambdas/core/policy';
import type { Policy } from '../../lambdas/core/policy/policy';
import { fireTimes } from '../../lambdas/core/schedule';
import type { SimulatorStateView } from '../../simulator';
import type { ChaosScenario, ScenarioVerdict, WindowWork } from './chaos-scenario';
import { SCHEDULER_PROCESSES, TIME_SCALE } from './chaos-profile';
import { killSchedule, minuteBoundariesBetween } from './kill-schedule';
import { runRateBudgetClient, type RateBudgetClientReport, type RateBudgetPace } from './rate-budget-client';
import { readLedger } from './read-ledger';
import { mergeResults } from './results-file';
import { SchedulerProcesses, type SchedulerExit } from './scheduler-processes';
import { SimulatorProcess } from './simulator-process';

const TABLE = 'droplet-scheduler-ledger';
const REPO_ROOT = path.resolve(__dirname, '../..');
export const RESULTS_FILE = path.join(REPO_ROOT, 'bench/results.json');
/** Time between the settle phase's looks at the ledger. */
const SETTLE_POLL_MS = 3_000;
/** A tick this soon after the schedulers were spawned may pass before any of them is listening. */
export const SCHEDULER_READY_MS = 15_000;
/** How long a scheduler may take to exit after SIGTERM. */
const STOP_GRACE_MS = 30_000;
/** How often a scenario is asked whether to kill every scheduler now. */
const TARGETED_KILL_POLL_MS = 250;
/** Findings printed in full; the rest are counted. */
const FINDINGS_SHOWN = 40;

/** What one run came to: its exit code (0 all goals met, 1 a miss, 130 interrupted) and figures. */
export interface ChaosRunResult {
  readonly code: number;
  readonly figures: Figure[];
}

/**
 * One chaos run of a scenario: the simulator as its own process with faults, a dynalite ledger
 * served here, three `droplet-scheduler local` processes on the same policies (each tick
 * delivered three times, three reconcile loops), a second client on the same token, random
 * `kill -9`s with restarts (and whatever kills the scenario times itself); then the faults stop,
 * the ledger settles, the schedulers get SIGTERM, and the scenario judges the ledger and the
 * simulator's own record.
 */
export async function runChaos(scenario: ChaosScenario, stopping: AbortSignal): Promise<ChaosRunResult> {
  const startedAt = Date.now();
  const elapsed = () => `${Math.round((Date.now() - startedAt) / 1000)} s`;
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'droplet-scheduler-chaos-'));
  const logDir = path.join(workDir, 'logs');
  await mkdir(logDir);
  let keepWorkDir = false;
  let dynalite: RunningDynalite | undefined;
  let simulator: SimulatorProcess | undefined;
  let schedulers: SchedulerProcesses | undefined;
  let work: WindowWork | undefined;
  const windowStop = new AbortController();
  try {
    note(`chaos (${scenario.label}): work dir ${workDir}`);
    // A fresh fake token for this run only; it never leaves this machine.
    const token = `dop_v1_${randomBytes(32).toString('hex')}`;

    dynalite = await startDynalite({ path: path.join(workDir, 'ledger') });
    await ensureLedgerTable(dynalite.client, TABLE);
    const ledger = new DynaliteLedger({ client: dynalite.client, tableName: TABLE });
    simulator = await SimulatorProcess.start({
      repoRoot: REPO_ROOT,
      logFile: path.join(logDir, 'simulator.log'),
      token,
      droplets: scenario.fleet.droplets,
      tags: scenario.fleet.tags,
      timeScale: TIME_SCALE,
    });
    note(`simulator ${simulator.url}, dynalite ${dynalite.endpoint} (${elapsed()})`);

    const prepared = await scenario.prepare({
      simulator,
      token,
      ledger,
      elapsed,
      note,
      signal: stopping,
    });
    if (stopping.aborted) return { code: 130, figures: [] };
    const policyFile = path.join(workDir, 'policies.yaml');
    await writeFile(policyFile, prepared.policyFile);
    const policies = (await loadPolicyFile(policyFile)).policies;
    const policyNames = policies.map((policy) => policy.name);
    await simulator.setFaults(prepared.faults);

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
    const windowStart = Date.now();
    const windowEnd = prepared.windowEnd;
    const secondClient = runRateBudgetClient(simulator.url, token, scenario.secondClient, windowStop.signal);
    work = prepared.duringWindow?.({
      simulatorUrl: simulator.url,
      token,
      ledger,
      policies,
      windowStart,
      windowEnd,
      signal: windowStop.signal,
      note,
    });
    note(
      `chaos window until ${new Date(windowEnd).toISOString()}: ${SCHEDULER_PROCESSES} schedulers, faults ${JSON.stringify(prepared.faults)}, second client ${describePace(scenario.secondClient)}`,
    );
    const kills = await runKills(schedulers, scenario.kills, windowStart, windowEnd, stopping, work);
    if (stopping.aborted) return interrupted(schedulers);
    windowStop.abort();
    const client = await secondClient;
    const workLines = (await work?.finish()) ?? [];
    await simulator.setFaults(FAULTS_OFF);
    note(
      `window over after ${kills.random} random kill(s) and ${kills.targeted} of every scheduler (${elapsed()}); faults off, settling`,
    );

    const settle = await settleLedger(ledger, policyNames, scenario.settleTimeoutMs, stopping);
    if (stopping.aborted) return interrupted(schedulers);
    note(
      settle.open === 0
        ? `settled in ${Math.round(settle.ms / 1000)} s`
        : `${settle.open} open item(s) after ${Math.round(settle.ms / 1000)} s`,
    );
    const stoppedAt = Date.now();
    const exits = await schedulers.stopAll(STOP_GRACE_MS);
    const finalState = await simulator.state();
    const history = await simulator.history();
    const records = await readLedger(ledger, policyNames);

    const verdict = await prepared.judge({
      policies,
      records,
      ledger,
      finalState,
      history,
      expectedTicks: expectedTicks(
        policies,
        windowStart + SCHEDULER_READY_MS,
        Math.min(stoppedAt, windowEnd),
      ),
      exits,
      endedAt: Date.now(),
    });

    printContext(records, finalState, client, exits, kills, schedulers.startCount);
    for (const line of [...workLines, ...verdict.summary]) note(line);
    printFindings(verdict);
    for (const figure of verdict.figures) console.log(formatFigure(figure));
    await mergeResults(RESULTS_FILE, verdict.figures);

    const missed = verdict.figures.filter((figure) => meetsGoal(figure) === false);
    const badExits = exits.filter((exit) => exit.code !== 0 || exit.forced);
    console.log(
      `\nchaos (${scenario.label}) took ${elapsed()}; ${missed.length} figure(s) missed their goal; ` +
        `${badExits.length} scheduler(s) did not exit 0 on SIGTERM; wrote ${path.relative(process.cwd(), RESULTS_FILE)}`,
    );
    keepWorkDir = missed.length > 0 || badExits.length > 0;
    return { code: keepWorkDir ? 1 : 0, figures: verdict.figures };
  } catch (error) {
    keepWorkDir = true;
    throw error;
  } finally {
    windowStop.abort();
    schedulers?.killAll();
    await work?.close?.().catch(() => undefined);
    await simulator?.stop().catch(() => undefined);
    await dynalite?.close().catch(() => undefined);
    if (keepWorkDir) note(`kept ${workDir} (logs, ledger, policies) for a look`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** The faults once the window has closed: none, so that what is open can settle. */
const FAULTS_OFF = {
  serverErrorRate: 0,
  dropAfterProcessRate: 0,
  latencyMs: 0,
  dropAnswerDropletIds: [],
} as const;

/** An interrupted run records no figures: the schedulers are stopped, and the exit code says so. */
async function interrupted(schedulers: SchedulerProcesses): Promise<ChaosRunResult> {
  await schedulers.stopAll(STOP_GRACE_MS);
  note('interrupted: no figures recorded');
  return { code: 130, figures: [] };
}

interface KillCounts {
  /** Kills of one random scheduler at a planned moment. */
  readonly random: number;
  /** Kills of every scheduler at once, at a moment the scenario chose. */
  readonly targeted: number;
}

/**
 * The window's kills, from one loop so that no two of them (nor a restart of a process that
 * exited by itself) ever act on a slot at once: the planned `kill -9`s of one random scheduler,
 * and whenever the scenario asks for it, a `kill -9` of all of them.
 */
async function runKills(
  schedulers: SchedulerProcesses,
  count: number,
  windowStart: number,
  windowEnd: number,
  signal: AbortSignal,
  work: WindowWork | undefined,
): Promise<KillCounts> {
  const plan = killSchedule({
    kills: count,
    slots: SCHEDULER_PROCESSES,
    from: windowStart + 8_000,
    to: windowEnd - 5_000,
    boundaries: minuteBoundariesBetween(windowStart, windowEnd),
    random: Math.random,
  });
  let random = 0;
  let targeted = 0;
  const pollMs = work?.killAllNow ? TARGETED_KILL_POLL_MS : 1_000;
  while (Date.now() < windowEnd && !signal.aborted) {
    const next = plan[random];
    if (next !== undefined && Date.now() >= next.at) {
      const pid = await schedulers.killAndRestart(next.slot);
      random += 1;
      note(`kill -9 scheduler ${next.slot} (pid ${pid}) at ${new Date().toISOString()}; restarted`);
      continue;
    }
    const chosen = await work?.killAllNow?.();
    if (chosen !== undefined) {
      const pids = await schedulers.killAllAndRestart();
      targeted += 1;
      note(`kill -9 of every scheduler (pids ${pids.join(', ')}): ${chosen.reason}; restarted`);
      await chosen.confirm();
      continue;
    }
    const wait = Math.min(pollMs, (next?.at ?? windowEnd) - Date.now(), windowEnd - Date.now());
    await sleep(Math.max(0, wait), undefined, { signal }).catch(() => undefined);
    for (const slot of schedulers.restartCrashed()) note(`scheduler ${slot} had exited by itself; restarted`);
  }
  return { random, targeted };
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

/** Every fire time of every policy in (from, to]: the ticks the ledger must have a run for. */
function expectedTicks(
  policies: readonly Policy[],
  from: number,
  to: number,
): { policy: string; scheduledTime: string }[] {
  return policies.flatMap((policy) =>
    [
      ...fireTimes(policy.schedule, {
        timezone: policy.timezone,
        from: new Date(from),
        endDate: new Date(to + 1),
      }),
    ].map((at) => ({ policy: policy.name, scheduledTime: at.toISOString() })),
  );
}

function printContext(
  records: Awaited<ReturnType<typeof readLedger>>,
  state: SimulatorStateView,
  client: RateBudgetClientReport,
  exits: readonly SchedulerExit[],
  kills: KillCounts,
  starts: number,
): void {
  const statuses = new Map<string, number>();
  for (const record of records.filter((r): r is ActionRecord => r.kind === 'action'))
    statuses.set(record.status, (statuses.get(record.status) ?? 0) + 1);
  const requests = Object.values(state.requestCounts).reduce((sum, count) => sum + count, 0);
  note(
    `ledger: ${records.filter((record) => record.kind === 'run').length} runs, action items: ${[...statuses].map(([status, count]) => `${count} ${status}`).join(', ')}`,
  );
  note(
    `simulator: ${state.actions.length} actions, ${requests} API requests, ${state.rateLimited} answered 429`,
  );
  note(`second client: ${client.requests} GETs, ${client.rateLimited} answered 429, ${client.failed} failed`);
  note(
    `schedulers: ${starts} starts, ${kills.random} kill -9 of one, ${kills.targeted} of all; exits on SIGTERM: ${exits.map(describeExit).join(', ')}`,
  );
}

function printFindings(verdict: ScenarioVerdict): void {
  for (const finding of verdict.findings.slice(0, FINDINGS_SHOWN))
    note(`  ${finding.figure}: ${finding.detail}`);
  if (verdict.findings.length > FINDINGS_SHOWN)
    note(`  ... and ${verdict.findings.length - FINDINGS_SHOWN} more finding(s)`);
}

function describePace(pace: RateBudgetPace): string {
  return `${pace.perMinute}/min${pace.burst ? ` and ${pace.burst.requests} at once every ${pace.burst.everyMs / 1000} s` : ''}`;
}

function describeExit(exit: SchedulerExit): string {
  return `#${exit.slot} ${exit.forced ? 'killed after no exit' : exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}`;
}

export function note(message: string): void {
  console.error(message);
}
