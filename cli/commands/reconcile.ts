import { Command, Option } from 'commander';
import { EXIT } from '../exit-codes';
import { openActions, type OpenActions } from '../local/open-actions';
import { describeWait } from '../progress/describe-wait';
import { reportWaits } from '../progress/wait-reporter';
import { parseDuration } from '../local/parse-duration';
import { parseTimeScale } from '../local/parse-time-scale';
import { settleOpenActions } from '../local/settle-open-actions';
import {
  addApiOption,
  addStoreOptions,
  waitTimeoutOption,
  type ApiFlags,
  type StoreFlags,
  type WaitTimeoutFlags,
} from '../options/common-options';
import { createProgressBar } from '../progress/progress-bar';
import { renderTable } from '../format/table';
import { formatUtc } from '../format/zoned-time';
import { DEFAULT_WAIT_TIMEOUT } from '../api/reachability-watchdog';
import { watchReachability } from '../api/watch-reachability';
import { openCliRuntime, resolveApiUrl } from '../store/open-cli-runtime';
import type { CommandFactory } from './index';

interface ReconcileFlags extends StoreFlags, ApiFlags, WaitTimeoutFlags {
  readonly untilSettled?: boolean;
  readonly timeout: string;
  readonly timeScale?: string;
  readonly json?: boolean;
}

/** `reconcile`: follows open actions to completed / errored / timed-out, once or until none is left. */
export const reconcileCommand: CommandFactory = (context, setExitCode) =>
  addApiOption(
    addStoreOptions(
      new Command('reconcile').description(
        'Follow open actions to their final status, start their follow-ups (power_off fallback, retention).',
      ),
    ),
  )
    .option('--until-settled', 'repeat until no action is open (bounded by --timeout)')
    .option('--timeout <duration>', 'longest time --until-settled keeps going', '10m')
    .addOption(
      new Option(
        '--time-scale <n>',
        "DigitalOcean's side runs N times faster (the simulator's --time-scale)",
      ),
    )
    .addOption(waitTimeoutOption(DEFAULT_WAIT_TIMEOUT))
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 one pass done, or everything settled; 1 bad input; 2 DigitalOcean unreachable
(at the end of the pass, or for --wait-timeout; it names the URL and the cause), or
--until-settled ran out of time with actions still open.

Examples:
  $ droplet-scheduler reconcile
  $ droplet-scheduler reconcile --until-settled --timeout 15m
  $ droplet-scheduler reconcile --table droplet-scheduler-ledger --region eu-central-1`,
    )
    .action(async (flags: ReconcileFlags) => {
      const timeoutMs = parseDuration('--timeout', flags.timeout);
      const timeScale = parseTimeScale(flags.timeScale);
      const { output } = context;
      const reachability = watchReachability(flags, context, resolveApiUrl(flags, context));
      const runtime = await openCliRuntime(flags, context, {
        timeScale,
        client: reachability.watchdog.clientOptions,
      });
      try {
        reachability.watchdog.start();
        const initial = (await openActions(runtime.ledger)).count;
        const bar = createProgressBar('reconcile');
        bar.update(0, initial, `${initial} open`);
        let settled = 0;
        let waitingFor: { open: OpenActions; nextCheckAt: number } | undefined;
        const waits = reportWaits({
          describe: () =>
            describeWait({
              watchdog: reachability.watchdog,
              queue: runtime.queue,
              ...waitingFor,
              now: Date.now(),
            }),
          print: (text) => (bar.drawn ? bar.update(settled, initial, text) : output.note(`waiting: ${text}`)),
          repeatMs: bar.drawn ? 1000 : undefined,
        });
        const report = await settleOpenActions(runtime, {
          // One pass: the deadline is now, so the loop stops after it.
          timeoutMs: flags.untilSettled ? timeoutMs : 0,
          signal: reachability.signal,
          onPass: (pass, open) => {
            if (pass.completed + pass.errored + pass.timedOut > 0) waits.touch();
            settled = Math.max(initial - open, 0);
            bar.update(settled, Math.max(initial, open), `${open} open`);
          },
          onWait: (open, nextCheckAt) => {
            waitingFor = { open, nextCheckAt };
          },
        }).finally(() => waits.stop());
        bar.stop();
        const unreachable = reachability.watchdog.error();
        if (unreachable) throw unreachable;
        if (flags.json) {
          output.json(report);
        } else {
          const rows = [
            ['completed', String(report.completed)],
            ['errored', String(report.errored)],
            ['timed-out', String(report.timedOut)],
            ['still open', String(report.stillOpen)],
          ];
          if (report.followUpsQueued > 0) rows.push(['follow-ups', String(report.followUpsQueued)]);
          const paint = (padded: string, value: string) =>
            value === 'completed'
              ? output.colors.green(padded)
              : (value === 'errored' && report.errored > 0) || (value === 'timed-out' && report.timedOut > 0)
                ? output.colors.red(padded)
                : padded;
          const columns = [
            { header: 'status', paint },
            { header: 'actions', align: 'right' as const },
          ];
          for (const row of renderTable(columns, rows, output.colors.bold)) output.line(row);
        }
        if (!flags.untilSettled && report.examined === 0 && report.stillOpen > 0 && !flags.json) {
          // Nothing was asked of DigitalOcean: "still open" must not read as "checked, still open".
          const next =
            report.nextDueAt === undefined ? '' : ` (the next at ${formatUtc(new Date(report.nextDueAt))})`;
          output.note(
            output.colors.dim(
              `none of the ${report.stillOpen} open action(s) was due for a look yet${next}, so DigitalOcean was not asked; --until-settled follows them until they end`,
            ),
          );
        }
        if (flags.untilSettled && !report.settled) {
          output.note(
            `${output.colors.red('error:')} expected every action settled within ${flags.timeout}, got: ${report.stillOpen} still open` +
              (report.queued > 0 ? ` and ${report.queued} queued` : '') +
              ' (run reconcile again, or raise --timeout)',
          );
          setExitCode(EXIT.runtime);
        }
      } catch (error) {
        throw reachability.watchdog.explain(error);
      } finally {
        reachability.watchdog.stop();
        await runtime.close();
      }
    });
