import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { DigitalOceanClient, RateLimiter } from '../../lambdas/adapters/digitalocean';
import { EnvironmentTokenSource } from '../../lambdas/adapters/local/environment-token-source';
import { formatMinutes } from '../../lambdas/core/plan';
import type { Policy } from '../../lambdas/core/policy';
import { dispatchRun, type DispatchOutcome } from '../../lambdas/core/use-cases/dispatch-run';
import { DEFAULT_WAIT_TIMEOUT } from '../api/reachability-watchdog';
import { watchReachability } from '../api/watch-reachability';
import type { CliContext } from '../cli-context';
import { reconcileHint } from '../format/reconcile-hint';
import { EXIT } from '../exit-codes';
import { drainWithOutcomes } from '../local/drain-with-outcomes';
import { planDryRun, type DryRunPlan } from '../local/dry-run-plan';
import { minuteOf } from '../local/minute-of';
import { parseDuration } from '../local/parse-duration';
import { parseScheduledTime } from '../local/parse-scheduled-time';
import { parseTimeScale } from '../local/parse-time-scale';
import {
  addApiOption,
  addPolicyFileOption,
  addStoreOptions,
  waitTimeoutOption,
  type ApiFlags,
  type PolicyFileFlags,
  type StoreFlags,
  type WaitTimeoutFlags,
} from '../options/common-options';
import { registerSecret } from '../output';
import { describeWait } from '../progress/describe-wait';
import { createProgressBar } from '../progress/progress-bar';
import { reportWaits } from '../progress/wait-reporter';
import { renderRunSummary } from '../progress/run-summary';
import { countOutcome, emptyTally, type RunTally } from '../progress/run-tally';
import { openCliLedger } from '../store/open-cli-ledger';
import { openCliRuntime, resolveApiUrl } from '../store/open-cli-runtime';
import { findPolicy } from '../options/find-policy';
import type { CommandFactory } from './index';

interface RunFlags extends PolicyFileFlags, StoreFlags, ApiFlags, WaitTimeoutFlags {
  readonly at?: string;
  readonly dryRun?: boolean;
  readonly timeScale?: string;
  readonly wait: string;
  readonly json?: boolean;
}

/** Printed per-droplet requests in a dry run before "... and N more" (`--json` lists them all). */
const SHOWN_REQUESTS = 10;

/** `run POLICY`: one tick of one policy now (or `--at`), its queue drained, a summary at the end. */
export const runCommand: CommandFactory = (context, setExitCode) =>
  addApiOption(
    addStoreOptions(
      addPolicyFileOption(
        new Command('run')
          .description('Dispatch one tick of a policy now (or --at a given time) and start its actions.')
          .argument(
            '<policy>',
            'the policy name, as in the file (a powerSchedule gives <name>-on and <name>-off, a parkSchedule <name>-park and <name>-unpark)',
          ),
      ),
    ),
  )
    .option('--at <iso>', 'the scheduled time of the tick (default: now, to the minute)')
    .option('--dry-run', 'resolve the targets with GETs and show the requests, changing nothing')
    .addOption(
      new Option(
        '--time-scale <n>',
        "DigitalOcean's side runs N times faster (the simulator's --time-scale)",
      ),
    )
    .option('--wait <duration>', 'longest wait for busy droplets before the summary', '10m')
    .addOption(waitTimeoutOption(DEFAULT_WAIT_TIMEOUT))
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      `
A tick is identified by (policy, scheduled time): running the same tick again does nothing new.
Exit codes: 0 done, 1 bad input (unknown policy, missing token), 2 DigitalOcean unreachable for
--wait-timeout (it names the URL and the cause), or any droplet rejected (the summary shows
DigitalOcean's message).

Examples:
  $ droplet-scheduler run weekend-off -f policies.yaml --dry-run
  $ droplet-scheduler run nightly-snapshots --at 2026-11-27T01:00:00Z
  $ DIGITALOCEAN_TOKEN=... droplet-scheduler run monday-on --api-url http://127.0.0.1:4010`,
    )
    .action(async (name: string, flags: RunFlags) => {
      const policy = await findPolicy(context, flags.file, name);
      const requested = flags.at === undefined ? new Date() : parseScheduledTime(flags.at);
      // One tick, one key: any spelling of a minute is that minute, as EventBridge fires it.
      const scheduledTime = minuteOf(requested);
      if (flags.at !== undefined && scheduledTime.getTime() !== requested.getTime() && !flags.json) {
        context.output.note(
          context.output.colors.dim(
            `note: --at ${flags.at} is the tick ${scheduledTime.toISOString()}: ticks are whole minutes, as EventBridge Scheduler fires them`,
          ),
        );
      }
      const waitMs = parseDuration('--wait', flags.wait);
      const timeScale = parseTimeScale(flags.timeScale);
      if (!policy.enabled)
        context.output.note(
          context.output.colors.yellow(`note: ${policy.name} is disabled; running it because you named it`),
        );
      if (flags.dryRun) {
        const plan = await dryRun(context, flags, policy, scheduledTime);
        if (flags.json) context.output.json(plan);
        else printPlan(context, plan);
        return;
      }
      const tally = await runOnce(context, flags, policy, scheduledTime, { timeScale, waitMs });
      if (tally.rejected > 0) setExitCode(EXIT.runtime);
    });

async function dryRun(
  context: CliContext,
  flags: RunFlags,
  policy: Policy,
  scheduledTime: Date,
): Promise<DryRunPlan> {
  const token = await new EnvironmentTokenSource(context.env).getToken();
  registerSecret(token);
  const api = new DigitalOceanClient({ token, baseUrl: resolveApiUrl(flags, context) });
  // Snoozes live in the ledger; a local store not made yet holds none, and is not made by a dry run.
  const hasLedger = flags.table !== undefined || existsSync(path.resolve(context.cwd, flags.store));
  if (!hasLedger) return planDryRun(api, policy, scheduledTime);
  const opened = await openCliLedger(flags, context);
  try {
    return await planDryRun(api, policy, scheduledTime, opened.ledger);
  } finally {
    await opened.close();
  }
}

function printPlan(context: CliContext, plan: DryRunPlan): void {
  const { line, colors } = context.output;
  line(`${colors.bold('dry run')}: ${plan.policy} at ${plan.scheduledTime} (nothing is sent but GETs)`);
  if (plan.skipReason) {
    line(`  the tick would be skipped: ${plan.skipReason}`);
    return;
  }
  line(`  targets: ${plan.targets.length} droplet(s), ${plan.mode}`);
  const names = new Map(plan.targets.map((target) => [target.id, target.name]));
  for (const skipped of plan.skipped) {
    const name = names.get(skipped.dropletId);
    line(`  skip droplet ${skipped.dropletId}${name ? ` (${name})` : ''}: ${skipped.reason}`);
  }
  for (const request of plan.requests.slice(0, SHOWN_REQUESTS)) {
    line(`  ${request.method} ${request.path} ${JSON.stringify(request.body)}`);
  }
  if (plan.requests.length > SHOWN_REQUESTS)
    line(`  ... and ${plan.requests.length - SHOWN_REQUESTS} more (--json lists them all)`);
  if (plan.then) line(`  then, per droplet: ${plan.then}`);
  const { reads, writes, minutes } = plan.budget;
  line(
    `  API budget: ${reads} GET(s) spent resolving targets, ${writes} request(s) to start the actions` +
      ` (${formatMinutes(minutes)} at 250/minute and 5,000/hour), plus the reconciler's status checks`,
  );
}

async function runOnce(
  context: CliContext,
  flags: RunFlags,
  policy: Policy,
  scheduledTime: Date,
  options: { timeScale: number; waitMs: number },
): Promise<RunTally> {
  const { output } = context;
  const reachability = watchReachability(flags, context, resolveApiUrl(flags, context));
  // Its own limiter, so that progress can say when requests wait for the token's budget.
  const limiter = new RateLimiter();
  const runtime = await openCliRuntime(flags, context, {
    timeScale: options.timeScale,
    client: { ...reachability.watchdog.clientOptions, rateLimiter: limiter },
  });
  const tally = emptyTally();
  try {
    reachability.watchdog.start();
    const outcome = await dispatchRun(runtime, {
      policy,
      scheduledTime: scheduledTime.toISOString(),
      executionId: `cli-run-${Date.now()}`,
    });
    if (!flags.json) output.line(describeDispatch(policy.name, scheduledTime, outcome));
    if (outcome.kind === 'bulk') tally.started = outcome.started;
    if (outcome.kind === 'queued' && outcome.skipped) {
      // Left alone at dispatch (a skip tag, a snoozed droplet): recorded skipped, never queued.
      tally.skipped += outcome.skipped;
      tally.skipReasons.set('left alone (skip tag or snooze)', outcome.skipped);
    }
    if (outcome.kind === 'queued') {
      const bar = createProgressBar(`${policy.name}`);
      let done = 0;
      bar.update(0, outcome.targets);
      const retryReasons = new Set<string>();
      const waits = reportWaits({
        describe: () =>
          describeWait({
            watchdog: reachability.watchdog,
            limiter,
            queue: runtime.queue,
            retryReasons,
            now: Date.now(),
          }),
        print: (text) =>
          bar.drawn ? bar.update(done, outcome.targets, text) : output.note(`waiting: ${text}`),
        repeatMs: bar.drawn ? 1000 : undefined,
      });
      tally.retrying = await drainWithOutcomes(runtime, {
        timeoutMs: options.waitMs,
        signal: reachability.signal,
        onOutcome: (item, result) => {
          countOutcome(tally, item, result);
          if (result.kind !== 'retrying' && result.kind !== 'duplicate') done += 1;
          if (result.kind === 'retrying') retryReasons.add(result.reason);
          waits.touch();
          bar.update(
            done,
            outcome.targets,
            result.kind === 'retrying' ? `droplet ${item.dropletId}: ${result.reason}` : '',
          );
        },
      }).finally(() => waits.stop());
      bar.stop();
    }
    const unreachable = reachability.watchdog.error();
    if (unreachable) throw unreachable;
    if (flags.json) {
      output.json({
        policy: policy.name,
        scheduledTime: scheduledTime.toISOString(),
        dispatch: outcome,
        started: tally.started,
        skipped: tally.skipped,
        rejected: tally.rejected,
        retrying: tally.retrying,
        rejections: tally.rejections,
      });
    } else if (outcome.kind === 'queued' || outcome.kind === 'bulk') {
      for (const row of renderRunSummary(tally, output.colors)) output.line(row);
      output.line(
        output.colors.dim(
          `follow them to completed/errored/timed-out: ${reconcileHint(flags, resolveApiUrl(flags, context))}`,
        ),
      );
    }
    return tally;
  } catch (error) {
    throw reachability.watchdog.explain(error);
  } finally {
    reachability.watchdog.stop();
    await runtime.close();
  }
}

/** `; 1 left alone (skip tag or snooze, recorded skipped)`, or nothing. */
function leftAlone(skipped: number | undefined): string {
  return skipped ? `; ${skipped} left alone (skip tag or snooze, recorded skipped)` : '';
}

function describeDispatch(name: string, scheduledTime: Date, outcome: DispatchOutcome): string {
  const tick = `${name} at ${scheduledTime.toISOString()}`;
  switch (outcome.kind) {
    case 'skipped':
      return `${tick}: skipped, ${outcome.reason}`;
    case 'duplicate':
      return `${tick}: already dispatched (run ${outcome.status}); nothing new started. Use --at for another tick.`;
    case 'queued':
      return `${tick}: ${outcome.targets} droplet(s), one request each${leftAlone(outcome.skipped)}`;
    case 'bulk':
      return `${tick}: ${outcome.started} action(s) started in one request by tag`;
  }
}
