import { renderTable } from '../format/table';
import type { Colors } from '../output';
import type { RunTally } from './run-tally';

/**
 * The table `run` ends with: one row per outcome, with the skip reasons and DigitalOcean's own
 * message for each rejected droplet, so that a refusal can be acted on without the audit.
 */
export function renderRunSummary(tally: RunTally, colors: Colors): string[] {
  const skipDetails = [...tally.skipReasons].map(([reason, count]) => `${reason} (${count})`).join('; ');
  const rows: string[][] = [
    ['started', String(tally.started), ''],
    ['skipped', String(tally.skipped), skipDetails],
    ['rejected', String(tally.rejected), ''],
    ...tally.rejections.map((rejection) => [
      '',
      '',
      `droplet ${rejection.dropletId}${rejection.dropletName ? ` (${rejection.dropletName})` : ''}: ${rejection.message}`,
    ]),
    [
      'retrying',
      String(tally.retrying),
      tally.retrying > 0 ? 'a busy droplet waits for its retry; `reconcile` picks it up' : '',
    ],
  ];
  const paint = (padded: string, value: string) => {
    if (value === 'started') return colors.green(padded);
    if (value === 'rejected' && tally.rejected > 0) return colors.red(padded);
    if (value === 'retrying' && tally.retrying > 0) return colors.yellow(padded);
    return padded;
  };
  return renderTable(
    [{ header: 'outcome', paint }, { header: 'droplets', align: 'right' }, { header: 'details' }],
    rows,
    colors.bold,
  );
}
