import type { Colors } from '../output';
import type { RunTally } from './run-tally';
import { renderTextTable } from './text-table';

/**
 * The table `run` ends with: one row per outcome, with the skip reasons and DigitalOcean's own
 * message for each rejected droplet, so that a refusal can be acted on without the audit.
 */
export function renderRunSummary(tally: RunTally, colors: Colors): string[] {
  const skipDetails = [...tally.skipReasons].map(([reason, count]) => `${reason} (${count})`).join('; ');
  const rows: string[][] = [
    [colors.green('started'), String(tally.started), ''],
    [colors.dim('skipped'), String(tally.skipped), skipDetails],
    [tally.rejected > 0 ? colors.red('rejected') : 'rejected', String(tally.rejected), ''],
    [
      tally.retrying > 0 ? colors.yellow('retrying') : 'retrying',
      String(tally.retrying),
      tally.retrying > 0 ? 'a busy droplet waits for its retry; `reconcile` picks it up' : '',
    ],
  ];
  const rejections = tally.rejections.map((rejection) => [
    '',
    '',
    `droplet ${rejection.dropletId}${rejection.dropletName ? ` (${rejection.dropletName})` : ''}: ${rejection.message}`,
  ]);
  rows.splice(3, 0, ...rejections);
  return renderTextTable(['outcome', 'droplets', 'details'], rows, colors);
}
