import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadPolicyFile } from '../../lambdas/core/policy';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import type { CliContext } from '../cli-context';
import { BurstStatus } from '../local/burst-status';
import { LiveLog } from '../local/live-log';
import { LocalScheduler } from '../local/local-scheduler';
import { parseDuration } from '../local/parse-duration';
import { parseTimeScale } from '../local/parse-time-scale';
import { guardAgainstSignalEcho } from '../local/signal-echo-guard';
import { simulatedFleet } from '../local/simulated-fleet';
import {
  mergeFleets,
  readSimulatedFleet,
  simulatedFleetFile,
  writeSimulatedFleet,
} from '../local/simulated-fleet-file';
import {
  addApiOption,
  addPolicyFileOption,
  addStoreOptions,
  DEFAULT_STORE_DIR,
  waitTimeoutOption,
  type ApiFlags,
  type PolicyFileFlags,
  type StoreFlags,
  type WaitTimeoutFlags,
} from '../options/common-options';
import { shellCommand } from '../format/shell-command';
import { probeDigitalOcean } from '../api/probe-digitalocean';
import { DEFAULT_WAIT_TIMEOUT } from '../api/reachability-watchdog';
import { watchReachability } from '../api/watch-reachability';
import { webhookOrigin } from '../../lambdas/adapters/local/webhook-event-publisher';
import { openCliRuntime, resolveApiUrl } from '../store/open-cli-runtime';
import { displayStore, markSimulatedStore, storeKind } from '../store/store-kind';
import { UsageError } from '../usage-error';
import type { CommandFactory } from './index';

interface LocalFlags extends PolicyFileFlags, StoreFlags, ApiFlags, WaitTimeoutFlags {
  readonly simulate?: boolean;
  readonly runNow?: boolean;
  readonly timeScale?: string;
  readonly reconcileInterval?: string;
  readonly notifyWebhook?: string;
}

/** With `--simulate`, simulated time runs this many times faster unless `--time-scale` says otherwise. */
export const SIMULATED_TIME_SCALE = 60;

/**
 * Where `--simulate` keeps its ledger unless `--store` is given: never in the real store, so that
 * an audit of real droplets never shows simulated actions.
 */
export const SIMULATED_STORE_DIR = path.join(DEFAULT_STORE_DIR, 'simulated');

/** Share of simulated shutdowns that leave the droplet running, so that the power_off fallback shows. */
const INEFFECTIVE_SHUTDOWN_RATE = 0.3;

/** Longest a simulated run waits for open actions to settle at start and at stop. */
const SIMULATED_SETTLE_MS = 30_000;

/** `local`: the long-running scheduler on one machine, against DigitalOcean or the built-in simulator. */
export const localCommand: CommandFactory = (context) => {
  const command = addApiOption(
    addStoreOptions(
      addPolicyFileOption(
        new Command('local').description(
          'Run the scheduler on this machine: timers per policy, the reconcile loop, a live log.',
        ),
      ),
    ),
  )
    .option('--simulate', 'start the built-in DigitalOcean simulator, seeded with droplets for the policies')
    .option('--run-now', 'fire every enabled policy once at start (at the current minute)')
    .addOption(
      new Option(
        '--time-scale <n>',
        `DigitalOcean's side runs N times faster (default ${SIMULATED_TIME_SCALE} with --simulate, else 1)`,
      ),
    )
    .option('--reconcile-interval <duration>', 'time between reconcile passes (default 60s / time scale)')
    .option(
      '--notify-webhook <url>',
      'also post failed, timed-out and skipped actions to this webhook as {"text": …} (Slack incoming webhooks read it)',
    )
    .addOption(waitTimeoutOption(DEFAULT_WAIT_TIMEOUT))
    .addHelpText(
      'after',
      `
Ticks fire at the fire times EventBridge Scheduler would use (time zone, DST, startDate/endDate);
disabled policies never fire. Ctrl-C (SIGINT) or SIGTERM stops the timers and finishes what is in
flight; then Ctrl-C exits 130, as any command a Ctrl-C ends, and SIGTERM (a service manager's
orderly stop) exits 0. A second Ctrl-C a second or more later stops at once. A restart resumes: open actions are reconciled, and a tick already dispatched
(same policy, same scheduled time) is never dispatched again, so --run-now twice in one minute
starts nothing new, and --run-now skips a policy whose earlier actions are still open.

--notify-webhook posts one message per failed, timed-out, refused or skipped action, worded as the
deployed notifications word it, about one a second; events.jsonl gets every event first, and a
webhook that refuses is one warning line per message (only its scheme and host are ever shown: a
Slack webhook's path is its secret). It retries a 429, a 5xx or no answer twice.

--simulate keeps its ledger in ${SIMULATED_STORE_DIR} unless --store is given.
The simulated account lives as long as the process: what it started is settled before it stops,
and its droplets are saved beside the ledger for the next start.

Examples:
  $ droplet-scheduler local -f examples/policies.yaml --simulate --run-now
  $ DIGITALOCEAN_TOKEN=... droplet-scheduler local -f policies.yaml
  $ droplet-scheduler audit --store ${SIMULATED_STORE_DIR}`,
    );
  return command.action(async (flags: LocalFlags) => {
    const storeFromDefault = command.getOptionValueSource('store') === 'default';
    await runLocal(context, {
      ...flags,
      store: flags.simulate && storeFromDefault ? SIMULATED_STORE_DIR : flags.store,
    });
  });
};

async function runLocal(context: CliContext, flags: LocalFlags): Promise<void> {
  const { output } = context;
  const { policies } = await loadPolicyFile(path.resolve(context.cwd, flags.file));
  const timeScale = parseTimeScale(flags.timeScale, flags.simulate ? SIMULATED_TIME_SCALE : 1);
  const reconcileIntervalMs =
    flags.reconcileInterval === undefined
      ? undefined
      : parseDuration('--reconcile-interval', flags.reconcileInterval);
  if (flags.simulate && flags.apiUrl !== undefined)
    throw new UsageError('--api-url', flags.apiUrl, 'no --api-url with --simulate (it starts its own API)');
  if (flags.simulate && flags.table !== undefined)
    throw new UsageError(
      '--table',
      flags.table,
      'no --table with --simulate (simulated actions stay in a local store)',
    );
  const storeDir = path.resolve(context.cwd, flags.store);
  if (flags.table === undefined) refuseMixedStore(storeDir, flags);
  const notifyWebhook = flags.notifyWebhook === undefined ? undefined : parseWebhookUrl(flags.notifyWebhook);
  let simulator: SimulatorHandle | undefined;
  let env = context.env;
  let apiUrl = flags.apiUrl;
  if (flags.simulate) {
    await mkdir(storeDir, { recursive: true });
    await markSimulatedStore(storeDir);
    const saved = await readSimulatedFleet(storeDir);
    const seedDroplets = saved ? mergeFleets(saved, simulatedFleet(policies)) : simulatedFleet(policies);
    simulator = await startSimulator({
      host: '127.0.0.1',
      port: 0,
      droplets: 0,
      seedDroplets,
      timeScale,
      faults: { ineffectiveShutdownRate: INEFFECTIVE_SHUTDOWN_RATE },
      // The whole account, actions included, survives any stop: in-flight actions finish after a
      // restart and ids never repeat.
      stateFile: simulatedFleetFile(storeDir),
    });
    if (simulator.stateNote) output.line(`simulator: ${simulator.stateNote}`);
    // The simulator's token stands in for DIGITALOCEAN_TOKEN; it is registered as a secret by
    // openCliRuntime and never printed.
    env = { ...context.env, DIGITALOCEAN_TOKEN: simulator.token };
    apiUrl = simulator.url;
    const tags = [...new Set(seedDroplets.flatMap((seed) => seed.tags ?? []))];
    output.line(
      `simulator: ${simulator.url}, ${seedDroplets.length} droplets${saved ? ' as the last run left them' : ''} (${tags.map((tag) => `tag ${tag}`).join(', ') || 'by id'}), time x${timeScale}; ` +
        `1 in ${Math.round(1 / INEFFECTIVE_SHUTDOWN_RATE)} shutdowns leaves its droplet running, as DigitalOcean warns, so the power_off fallback shows`,
    );
  }
  const log = new LiveLog(output);
  const unguard = guardAgainstSignalEcho();
  try {
    const reachability = watchReachability(flags, context, resolveApiUrl({ apiUrl }, { ...context, env }));
    const runtime = await openCliRuntime(
      { ...flags, apiUrl },
      { ...context, env },
      {
        timeScale,
        onEvent: (event) => log.event(event),
        client: reachability.watchdog.clientOptions,
        notifyWebhook:
          notifyWebhook === undefined
            ? undefined
            : { url: notifyWebhook, onProblem: (line) => log.warn(line) },
      },
    );
    try {
      reachability.watchdog.start();
      // At start-up an unreachable API or a refused token ends the command (exit 2, or 1 for the
      // token); once running, an outage is logged and waited out, as the deployed Lambdas would.
      await probeDigitalOcean(runtime.api).catch((error: unknown) => {
        throw reachability.watchdog.explain(error);
      });
      reachability.watchdog.warnOnly((outage) =>
        outage ? log.warn(outage.message) : log.info('DigitalOcean answers again'),
      );
      const shownStore = displayStore(storeDir, context.cwd);
      output.line(
        flags.table !== undefined
          ? `store: table ${flags.table}; Ctrl-C stops (what is in flight finishes first)`
          : `store: ${shownStore}${simulator ? ' (simulated ledger)' : ''}, read it with ` +
              `${shellCommand(['droplet-scheduler', 'audit', '--store', shownStore])}; Ctrl-C stops (what is in flight finishes first)`,
      );
      if (notifyWebhook !== undefined)
        output.line(
          `notifications: failed, timed-out and skipped actions to ${webhookOrigin(notifyWebhook)}`,
        );
      const scheduler = new LocalScheduler({
        runtime,
        policies,
        log,
        runNow: flags.runNow,
        reconcileIntervalMs,
        settleAroundMs: simulator ? SIMULATED_SETTLE_MS : undefined,
      });
      const status = new BurstStatus({
        runtime,
        log,
        policies,
        nextFireTimes: () => scheduler.nextFireTimes(),
        watchdog: reachability.watchdog,
      });
      status.start();
      await scheduler.run(context.signal).finally(() => status.stop());
      if (simulator) await writeSimulatedFleet(storeDir, simulator);
      log.info('stopped');
    } finally {
      reachability.watchdog.stop();
      await runtime.close();
    }
  } finally {
    await simulator?.close();
    unguard();
  }
}

/** `--notify-webhook`: an http(s) URL; the value is never echoed whole, since its path may be a secret. */
function parseWebhookUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.host === '')
    throw new UsageError(
      '--notify-webhook',
      url ? `${webhookOrigin(value)}/…` : '(not a URL)',
      'an https:// (or http://) URL, such as a Slack incoming webhook',
    );
  return url.toString();
}

/**
 * Simulated and real actions never share a ledger: an audit of real droplets must not show
 * simulated ones, and the other way round.
 */
function refuseMixedStore(storeDir: string, flags: LocalFlags): void {
  const kind = storeKind(storeDir);
  if (flags.simulate && kind === 'real')
    throw new UsageError(
      '--store',
      flags.store,
      'a simulated store or a new directory with --simulate (this one holds a real ledger)',
    );
  if (!flags.simulate && kind === 'simulated')
    throw new UsageError(
      '--store',
      flags.store,
      `a store for real actions without --simulate (this one holds the simulated ledger; the default is ${DEFAULT_STORE_DIR})`,
    );
}
