import { Command, Option } from 'commander';
import { EXIT } from '../exit-codes';
import { openActions } from '../local/open-actions';
import { parseDuration } from '../local/parse-duration';
import { parseTimeScale } from '../local/parse-time-scale';
import { settleOpenActions } from '../local/settle-open-actions';
import { addApiOption, addStoreOptions, type ApiFlags, type StoreFlags } from '../options/common-options';
import { createProgressBar } from '../progress/progress-bar';
import { renderTable } from '../format/table';
import { openCliRuntime } from '../store/open-cli-runtime';
import type { CommandFactory } from './index';

interface ReconcileFlags extends StoreFlags, ApiFlags {
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
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Exit codes: 0 one pass done, or everything settled; 1 bad input; 2 DigitalOcean unreachable, or
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
      const runtime = await openCliRuntime(flags, context, { timeScale });
      try {
        const initial = (await openActions(runtime.ledger)).count;
        const bar = createProgressBar('reconcile');
        bar.update(0, initial, `${initial} open`);
        const report = await settleOpenActions(runtime, {
          // One pass: the deadline is now, so the loop stops after it.
          timeoutMs: flags.untilSettled ? timeoutMs : 0,
          signal: context.signal,
          onPass: (_pass, open) =>
            bar.update(Math.max(initial - open, 0), Math.max(initial, open), `${open} open`),
        });
        bar.stop();
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
        if (flags.untilSettled && !report.settled) {
          output.note(
            `${output.colors.red('error:')} expected every action settled within ${flags.timeout}, got: ${report.stillOpen} still open` +
              (report.queued > 0 ? ` and ${report.queued} queued` : '') +
              ' (run reconcile again, or raise --timeout)',
          );
          setExitCode(EXIT.runtime);
        }
      } finally {
        await runtime.close();
      }
    });
