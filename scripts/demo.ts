/**
 * `npm run demo`: every enabled example policy runs once against an in-process simulator (a
 * temporary store), each settles before the next starts, one holiday tick shows `skipDates`, and
 * the audit table ends it: one row per action. Exits 0 when every action reached a final status.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LiveLog } from '../cli/local/live-log';
import { drainWithOutcomes } from '../cli/local/drain-with-outcomes';
import { minuteOf } from '../cli/local/minute-of';
import { settleOpenActions } from '../cli/local/settle-open-actions';
import { simulatedFleet } from '../cli/local/simulated-fleet';
import { renderTable } from '../cli/format/table';
import { createOutput, registerSecret, type Output } from '../cli/output';
import { createLocalRuntime } from '../lambdas/adapters/local/create-local-runtime';
import type { ActionRecord } from '../lambdas/core/ledger/action-record';
import type { LineageRecord } from '../lambdas/core/ledger/lineage-record';
import { allLineages } from '../lambdas/core/parking/parked-targets';
import type { Droplet, DropletApi } from '../lambdas/core/ports/droplet-api';
import { readSavings } from '../lambdas/core/use-cases/read-savings';
import { savingLines } from '../cli/commands/plan-savings';
import { usd } from '../cli/format/money';
import { loadPolicyFile, type Policy } from '../lambdas/core/policy';
import { dispatchRun } from '../lambdas/core/use-cases/dispatch-run';
import { startSimulator } from '../simulator';

export interface DemoOptions {
  /** @default examples/policies.yaml beside this script */
  readonly file?: string;
  /**
   * Simulated time runs this many times faster: the snapshots take seconds.
   * @default 300
   */
  readonly timeScale?: number;
  /** @default standard output */
  readonly output?: Output;
  /**
   * Longest wait for one policy's actions to settle.
   * @default 60000
   */
  readonly settleTimeoutMs?: number;
}

/** Runs the demo; resolves with the exit code (0 when every action settled) and the actions. */
export async function runDemo(options: DemoOptions = {}): Promise<{ code: number; actions: ActionRecord[] }> {
  const output = options.output ?? createOutput();
  const file = options.file ?? path.join(__dirname, '..', 'examples', 'policies.yaml');
  const timeScale = options.timeScale ?? 300;
  const { policies } = await loadPolicyFile(file);
  const storeDir = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-demo-'));
  const simulator = await startSimulator({
    droplets: 0,
    seedDroplets: simulatedFleet(policies),
    timeScale,
    faults: { ineffectiveShutdownRate: 0.3 },
  });
  registerSecret(simulator.token);
  const log = new LiveLog(output);
  const runtime = await createLocalRuntime({
    apiUrl: simulator.url,
    token: simulator.token,
    storeDir,
    timeScale,
    onEvent: (event) => log.event(event),
  });
  try {
    log.info(
      `${path.relative(process.cwd(), file)}: ${policies.length} policies against a simulator with ` +
        `${simulator.state().droplets.length} droplets, time x${timeScale}; 1 in 3 shutdowns leaves its droplet running`,
    );
    const scheduledTime = minuteOf(new Date()).toISOString();
    let settled = true;
    for (const policy of policies) {
      if (!policy.enabled) {
        log.info(`${policy.name}: disabled, not run`);
        continue;
      }
      const outcome = await dispatchRun(runtime, { policy, scheduledTime, executionId: 'demo' });
      log.tick(policy.name, scheduledTime, 'run-now', outcome);
      await drainWithOutcomes(runtime, {
        timeoutMs: options.settleTimeoutMs ?? 60_000,
        onOutcome: (item, result) => log.initiated(item, result),
      });
      const report = await settleOpenActions(runtime, {
        timeoutMs: options.settleTimeoutMs ?? 60_000,
        maxIntervalMs: 250,
        onOutcome: (item, result) => log.initiated(item, result),
      });
      if (!report.settled) {
        log.error(`${policy.name}: ${report.stillOpen} action(s) still open after the wait`);
        settled = false;
      }
    }
    await showSkipDate(policies, runtime, log);
    if (!(await showParking(policies, simulator, runtime, log, options.settleTimeoutMs ?? 60_000)))
      settled = false;
    const actions = await actionsOf(policies, runtime.ledger);
    const lineages = await allLineages(runtime.ledger);
    output.line('');
    for (const row of auditTable(actions, lineages, output)) output.line(row);
    output.line('');
    output.line(
      `${actions.length} action(s). Run it for real: npm start (droplet-scheduler local -f examples/policies.yaml --simulate --run-now)`,
    );
    return { code: settled ? 0 : 2, actions };
  } finally {
    await runtime.close();
    await simulator.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

/** The two droplets the demo parks: one with a reserved IP and a volume, one without (a new IP is allowed). */
const PARKING_DEMO_TAG = 'parking-demo';

/**
 * Parks and unparks two droplets with the example file's parking pair (disabled in the file, since
 * it would park the staging droplets the power schedules above use), on two droplets of their own:
 * the park tick, then the unpark tick a minute later, each settled. False when one did not settle.
 */
async function showParking(
  policies: readonly Policy[],
  simulator: Awaited<ReturnType<typeof startSimulator>>,
  runtime: Awaited<ReturnType<typeof createLocalRuntime>>,
  log: LiveLog,
  settleTimeoutMs: number,
): Promise<boolean> {
  const park = policies.find((policy) => policy.parking?.role === 'park');
  const unpark = policies.find(
    (policy) => policy.parking?.role === 'unpark' && policy.parking.parkPolicy === park?.name,
  );
  if (!park || !unpark) return true;
  const web = simulator.addDroplet({
    name: 'parking-demo-web',
    tags: [PARKING_DEMO_TAG],
    region: 'fra1',
    usedDiskGb: 2,
  });
  const db = simulator.addDroplet({
    name: 'parking-demo-db',
    tags: [PARKING_DEMO_TAG],
    region: 'fra1',
    usedDiskGb: 4,
  });
  const ip = simulator.addReservedIp({ dropletId: db.id });
  simulator.addVolume({ name: 'parking-demo-data', dropletId: db.id, sizeGigabytes: 10 });
  log.info(
    `${park.expandedFrom ?? park.name}: parking ${web.name} and ${db.name} (reserved IP ${ip.ip}, one volume), ` +
      `tagged ${PARKING_DEMO_TAG}; the policy is disabled in the file, enabled here for these two`,
  );
  const first = minuteOf(new Date());
  const demoPolicy = (policy: Policy): Policy => ({
    ...policy,
    enabled: true,
    targets: { tag: PARKING_DEMO_TAG },
  });
  await showExpectedSaving([demoPolicy(park), demoPolicy(unpark)], first, runtime.api, log);
  let settled = true;
  for (const [policy, scheduledTime] of [
    [park, first],
    [unpark, new Date(first.getTime() + 60_000)],
  ] as const) {
    const demo = demoPolicy(policy);
    const outcome = await dispatchRun(runtime, {
      policy: demo,
      scheduledTime: scheduledTime.toISOString(),
      executionId: 'demo',
    });
    log.tick(policy.name, scheduledTime.toISOString(), 'run-now', outcome);
    const report = await settleOpenActions(runtime, {
      timeoutMs: settleTimeoutMs,
      maxIntervalMs: 250,
      onOutcome: (item, result) => log.initiated(item, result),
    });
    if (!report.settled) {
      log.error(`${policy.name}: ${report.stillOpen} step(s) still open after the wait`);
      settled = false;
    }
  }
  await showActualSaving(park, runtime, log);
  return settled;
}

/**
 * What `plan` says the pair would save a month on its real schedule, asked before the park (plan
 * leaves out droplets parked when it runs).
 */
async function showExpectedSaving(
  pair: readonly Policy[],
  from: Date,
  api: DropletApi,
  log: LiveLog,
): Promise<void> {
  const droplets: Droplet[] = [];
  for await (const page of api.listDroplets({ tag: PARKING_DEMO_TAG })) droplets.push(...page);
  const savings = await savingLines({
    policies: pair,
    from,
    granularity: 'hourly',
    api,
    tagDroplets: new Map([[PARKING_DEMO_TAG, droplets]]),
    note: (text) => log.info(text),
  });
  // The first line is the figure; plan prints the rest (prices, hours, snapshots) beneath it.
  const [headline] = savings.lines.get(pair[0]!.name) ?? [];
  if (headline === undefined) return;
  log.info(`${pair[0]!.expandedFrom ?? pair[0]!.name}: expected saving on its schedule (plan): ${headline}`);
}

/**
 * What parking actually saved, as `audit --savings` counts it. A one-minute park saves nothing:
 * every unpark is a new droplet, billed from its first hour, and the line says so rather than dress it up.
 */
async function showActualSaving(
  park: Policy,
  runtime: Awaited<ReturnType<typeof createLocalRuntime>>,
  log: LiveLog,
): Promise<void> {
  const report = await readSavings(runtime.ledger, {
    granularity: 'hourly',
    now: new Date(),
    policy: park.name,
  });
  const { total } = report;
  log.info(
    `${park.expandedFrom ?? park.name}: actual saving (audit --savings, hourly billing): ` +
      `${usd(total.saving)} net over ${report.lineages.length} lineage(s): ${usd(total.withoutParking - total.dropletCost)} of droplet billing avoided, ` +
      `${usd(total.snapshotCost)} of snapshots; the demo parks for one minute, and each unpark is a new droplet billed from a whole hour`,
  );
}

/** One tick on the first holiday of the first policy that has any: recorded as a skipped run. */
async function showSkipDate(
  policies: readonly Policy[],
  runtime: Awaited<ReturnType<typeof createLocalRuntime>>,
  log: LiveLog,
): Promise<void> {
  const policy = policies.find((candidate) => candidate.enabled && candidate.skipDates.length > 0);
  const holiday = policy?.skipDates[0];
  if (!policy || !holiday) return;
  // Noon UTC falls on the same calendar day in every zone from UTC-11 to UTC+11.
  const scheduledTime = `${holiday}T12:00:00.000Z`;
  const outcome = await dispatchRun(runtime, { policy, scheduledTime, executionId: 'demo-holiday' });
  log.tick(policy.name, scheduledTime, 'run-now', outcome);
}

async function actionsOf(
  policies: readonly Policy[],
  ledger: Awaited<ReturnType<typeof createLocalRuntime>>['ledger'],
): Promise<ActionRecord[]> {
  const actions: ActionRecord[] = [];
  for (const policy of policies) {
    let cursor: string | undefined;
    do {
      const page = await ledger.queryByPolicy(policy.name, { limit: 1000, cursor });
      actions.push(...page.items.filter((item): item is ActionRecord => item.kind === 'action'));
      cursor = page.cursor;
    } while (cursor);
  }
  return actions;
}

/**
 * The audit table, the columns `audit` prints: one row per action, follow-ups and steps included,
 * and a parked droplet's stable identity (its lineage: the id it had when first parked).
 */
function auditTable(
  actions: readonly ActionRecord[],
  lineages: readonly LineageRecord[],
  output: Output,
): string[] {
  const lineageOf = new Map(
    lineages.flatMap((lineage) => lineage.dropletIds.map((id) => [id, lineage.lineageId])),
  );
  const { colors } = output;
  const paint = (padded: string, value: string) =>
    value === 'completed'
      ? colors.green(padded)
      : value === 'skipped'
        ? colors.dim(padded)
        : ['errored', 'timed-out', 'rejected'].includes(value)
          ? colors.red(padded)
          : colors.yellow(padded);
  const time = (iso?: string) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');
  return renderTable(
    [
      { header: 'policy' },
      { header: 'scheduled (UTC)' },
      { header: 'droplet', align: 'right' },
      { header: 'lineage', align: 'right' },
      { header: 'name' },
      { header: 'type' },
      { header: 'status', paint },
      { header: 'action', align: 'right' },
      { header: 'started' },
      { header: 'completed' },
      { header: 'note' },
    ],
    actions.map((action) => [
      action.policy,
      time(action.scheduledTime),
      String(action.dropletId),
      String(lineageOf.get(action.dropletId) ?? ''),
      action.dropletName ?? '',
      action.type,
      action.status,
      action.actionId === undefined ? '' : String(action.actionId),
      time(action.startedAt),
      time(action.completedAt),
      action.lastError?.message ??
        action.reason ??
        action.result ??
        (action.parentActionId ? `after ${action.parentActionId}` : ''),
    ]),
    colors.bold,
  );
}

if (require.main === module) {
  // As bin/droplet-scheduler.cjs does: the SDK's Node 20 notice is not the demo's business.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  runDemo().then(
    ({ code }) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 2;
    },
  );
}
