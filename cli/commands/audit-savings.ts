import { GRANULARITY_TEXT, SNAPSHOT_USD_PER_GB_MONTH } from '../../lambdas/core/parking/droplet-billing';
import type { LineageSaving } from '../../lambdas/core/parking/lineage-saving';
import type { SavingsQuery, SavingsReport } from '../../lambdas/core/use-cases/read-savings';
import type { CliContext } from '../cli-context';
import { recordsCsv } from '../format/csv';
import { percent, usd } from '../format/money';
import { renderTable, type TableColumn } from '../format/table';
import { parseTimeFlag } from '../format/time-flag';
import { parseBillingFlag } from '../options/billing-option';
import { UsageError } from '../usage-error';

/** The flags `audit --savings` reads. */
export interface SavingsFlags {
  readonly droplet?: string;
  readonly policy?: string;
  readonly since: string;
  readonly until?: string;
  readonly billing: string;
}

/** `audit` flags that mean nothing for savings, refused when given. */
export const NOT_WITH_SAVINGS = ['status', 'deletions', 'limit'] as const;

/** One lineage in `audit --savings --format json|csv`: dollars to the cent, hours to the hundredth. */
export interface SavingsRow {
  readonly lineageId: number;
  readonly dropletId: number;
  readonly name: string;
  readonly policy: string;
  readonly status: string;
  /** The UTC months counted, `yyyy-mm`. */
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly parks: number;
  readonly parkedHours: number;
  readonly priceHourly: number | null;
  readonly priceMonthly: number | null;
  /** The droplet left as it is over those months; null when no price is on record. */
  readonly withoutParking: number | null;
  /** The droplets parking had (one per unpark), billed each on its own. */
  readonly dropletCost: number | null;
  /** `withoutParking - dropletCost`: the droplet billing parking avoided. */
  readonly saved: number | null;
  /** The park snapshot while parked. */
  readonly snapshotCost: number | null;
  /** `saved - snapshotCost`; negative when parking cost more. */
  readonly net: number | null;
}

export const SAVINGS_FIELDS = [
  'lineageId',
  'dropletId',
  'name',
  'policy',
  'status',
  'firstMonth',
  'lastMonth',
  'parks',
  'parkedHours',
  'priceHourly',
  'priceMonthly',
  'withoutParking',
  'dropletCost',
  'saved',
  'snapshotCost',
  'net',
] as const satisfies readonly (keyof SavingsRow)[];

/**
 * Checks the flags `audit --savings` reads. `--since`/`--until` select whole UTC months, and only
 * when given: by default every month since each droplet's first park counts.
 */
export function parseSavingsFlags(
  flags: SavingsFlags,
  given: { readonly since: boolean; readonly until: boolean },
  now: Date,
): SavingsQuery {
  let dropletId: number | undefined;
  if (flags.droplet !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(flags.droplet))
      throw new UsageError('--droplet', flags.droplet, 'a droplet id (a positive integer)');
    dropletId = Number(flags.droplet);
  }
  if (flags.policy !== undefined && flags.policy.trim() === '')
    throw new UsageError('--policy', flags.policy, 'a policy name');
  const granularity = parseBillingFlag(flags.billing);
  const from = given.since ? parseTimeFlag('--since', flags.since, now) : undefined;
  const to =
    given.until && flags.until !== undefined ? parseTimeFlag('--until', flags.until, now) : undefined;
  if (from && to && from.getTime() > to.getTime())
    throw new UsageError('--since', flags.since, `a time before --until (${to.toISOString()})`);
  return { granularity, now, from, to, dropletId, policy: flags.policy };
}

const money = (value: number | undefined) => (value === undefined ? null : Math.round(value * 100) / 100);

export function savingsRow(saving: LineageSaving): SavingsRow {
  const cost = saving.cost;
  return {
    lineageId: saving.lineageId,
    dropletId: saving.dropletId,
    name: saving.name,
    policy: saving.policy,
    status: saving.status,
    firstMonth: saving.months[0] ?? '',
    lastMonth: saving.months[saving.months.length - 1] ?? '',
    parks: saving.parks,
    parkedHours: Math.round(saving.parkedHours * 100) / 100,
    priceHourly: saving.price?.hourly ?? null,
    priceMonthly: saving.price?.monthly ?? null,
    withoutParking: money(cost?.withoutParking),
    dropletCost: money(cost?.dropletCost),
    saved: money(cost && cost.withoutParking - cost.dropletCost),
    snapshotCost: money(cost?.snapshotCost),
    net: money(cost?.saving),
  };
}

/** Prints the report as a table with a total and what it rests on, or as JSON or CSV. */
export function printSavings(
  report: SavingsReport,
  format: 'table' | 'json' | 'csv',
  query: SavingsQuery,
  { output }: CliContext,
): void {
  const rows = report.lineages.map(savingsRow);
  if (format === 'json') {
    output.json({
      granularity: report.granularity,
      lineages: rows,
      total: {
        lineages: rows.length,
        withoutParking: money(report.total.withoutParking),
        dropletCost: money(report.total.dropletCost),
        saved: money(report.total.withoutParking - report.total.dropletCost),
        snapshotCost: money(report.total.snapshotCost),
        net: money(report.total.saving),
        unpriced: report.unpriced,
      },
    });
    return;
  }
  if (format === 'csv') {
    output.line(recordsCsv(SAVINGS_FIELDS, rows));
    return;
  }
  if (rows.length === 0) {
    output.line(emptyText(report, query));
    return;
  }
  const { bold, dim, green, red } = output.colors;
  const signed = (padded: string, value: string) =>
    value.startsWith('-') ? red(padded) : value === '-' ? padded : green(padded);
  const columns: TableColumn[] = [
    { header: 'LINEAGE', align: 'right' },
    { header: 'DROPLET', align: 'right' },
    { header: 'NAME' },
    { header: 'POLICY' },
    { header: 'NOW' },
    { header: 'MONTHS' },
    { header: 'PARKS', align: 'right' },
    { header: 'PARKED', align: 'right' },
    { header: 'WITHOUT', align: 'right' },
    { header: 'SAVED', align: 'right' },
    { header: 'SNAPSHOTS', align: 'right' },
    { header: 'NET', align: 'right', paint: signed },
  ];
  const cell = (value: number | null) => (value === null ? '-' : usd(value));
  const table = rows.map((row) => [
    String(row.lineageId),
    String(row.dropletId),
    row.name,
    row.policy,
    row.status,
    row.firstMonth === row.lastMonth ? row.firstMonth : `${row.firstMonth}..${row.lastMonth}`,
    String(row.parks),
    `${row.parkedHours.toFixed(1)} h`,
    cell(row.withoutParking),
    cell(row.saved),
    cell(row.snapshotCost),
    cell(row.net),
  ]);
  for (const line of renderTable(columns, table, bold)) output.line(line);
  const { total } = report;
  const priced = rows.length - report.unpriced;
  output.line(
    `total: saved ${usd(total.withoutParking - total.dropletCost)}, snapshots ${usd(total.snapshotCost)}, net ${usd(total.saving)}` +
      (total.withoutParking > 0
        ? ` (${percent(total.savingPct)} of ${usd(total.withoutParking)} without parking)`
        : '') +
      `, ${priced} droplet${priced === 1 ? '' : 's'}; ${GRANULARITY_TEXT[report.granularity]}`,
  );
  if (total.costsMore)
    output.line(red(`parking cost ${usd(-total.saving)} more than leaving the droplets be`));
  const notes = [
    'Whole UTC calendar months, as DigitalOcean caps a droplet per month. WITHOUT: the droplet left as it is (off or on, it is billed),',
    'from the start of the month of its first park, up to now. SAVED: WITHOUT less the droplets parking had, each unpark a new',
    'droplet billed on its own until its destroy. SNAPSHOTS: the park snapshot while parked. NET: SAVED less SNAPSHOTS.',
    'DROPLET: its id now (while parked, the id it had); LINEAGE: its id when first parked, which audit --droplet also takes.',
  ];
  for (const note of notes) output.line(dim(note));
  if (report.unpriced > 0)
    output.line(
      `${report.unpriced} droplet${report.unpriced === 1 ? ' has' : 's have'} no price on record: ${report.unpriced === 1 ? 'its' : 'their'} saving is unknown ('-') and left out of the total`,
    );
  const kept = report.lineages.reduce(
    (sum, saving) => ({
      count: sum.count + saving.keptSnapshots.count,
      gb: sum.gb + saving.keptSnapshots.sizeGb,
    }),
    { count: 0, gb: 0 },
  );
  if (kept.count > 0)
    output.line(
      `not counted: ${kept.count} park snapshot${kept.count === 1 ? '' : 's'} kept by keepSnapshots (${Number(kept.gb.toFixed(1))} GB), ${usd(kept.gb * SNAPSHOT_USD_PER_GB_MONTH)} a month while kept`,
    );
}

function emptyText(report: SavingsReport, query: SavingsQuery): string {
  if (!report.anyLineage)
    return 'No droplet has been parked: the ledger holds no lineage, so parking has saved nothing yet.';
  if (query.dropletId !== undefined)
    return `Droplet ${query.dropletId} has never been parked (no lineage names it).`;
  const months =
    query.from || query.to
      ? ` between ${query.from?.toISOString().slice(0, 7) ?? 'the first park'} and ${(query.to ?? query.now).toISOString().slice(0, 7)}`
      : '';
  const policy = query.policy === undefined ? '' : ` by policy ${query.policy}`;
  return `No droplet was parked${policy}${months}.`;
}
