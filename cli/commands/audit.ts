import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { DropletLedgerRecord, LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import {
  FAILURE_STATUSES,
  isLedgerStatus,
  LEDGER_STATUSES,
  type LedgerStatus,
} from '../../lambdas/core/ledger/ledger-status';
import { describeItem, idOf } from '../../lambdas/core/ledger/item-id';
import type { AuditQueries as ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { Page } from '../../lambdas/core/ports/ledger-store';
import type { CliContext } from '../cli-context';
import { AUDIT_FIELDS, auditRow, type AuditRow } from '../format/audit-row';
import { commanderOutput } from '../format/commander-output';
import { toCsv } from '../format/csv';
import { renderTable, type TableColumn } from '../format/table';
import { parseTimeFlag, TIME_FLAG_EXPECTED } from '../format/time-flag';
import { formatUtc } from '../format/zoned-time';
import { addStoreOptions, type StoreFlags } from '../options/common-options';
import { openCliLedger } from '../store/open-cli-ledger';
import { UsageError } from '../usage-error';
import type { CommandFactory } from './index';

const DEFAULT_SINCE = '7d';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
/** Items per ledger query page: large pages, few round trips. */
const PAGE_SIZE = 500;
const FORMATS = ['table', 'json', 'csv'] as const;
const STATUS_CHOICES = [...LEDGER_STATUSES, 'failed'] as const;

interface AuditFlags extends StoreFlags {
  readonly droplet?: string;
  readonly policy?: string;
  readonly status?: string;
  readonly since: string;
  readonly until?: string;
  readonly limit: string;
  readonly format: string;
  readonly deletions?: boolean;
}

/** The question `audit` asks the ledger, with every flag checked. */
export interface AuditQuery {
  readonly dropletId?: number;
  readonly policy?: string;
  /** Any of these; absent means any status. */
  readonly statuses?: readonly LedgerStatus[];
  readonly from: string;
  readonly to: string;
  readonly limit: number;
  readonly includeDeletions: boolean;
}

/** What one audit read found: at most `limit` records, and whether more matched. */
export interface AuditResult {
  readonly records: DropletLedgerRecord[];
  readonly truncated: boolean;
}

export const auditCommand: CommandFactory = (context) =>
  addStoreOptions(new Command('audit').configureOutput(commanderOutput(context.output)))
    .description('Ask the ledger what happened: by droplet, by policy or by status, over a time range.')
    .option('--droplet <id>', 'one droplet: its actions, oldest first')
    .option('--policy <name>', "one policy's ticks")
    .option(
      '--status <status>',
      `one of ${STATUS_CHOICES.join(', ')} (failed = errored, timed-out, rejected)`,
    )
    .option('--since <time>', `from: ${TIME_FLAG_EXPECTED}`, DEFAULT_SINCE)
    .option('--until <time>', 'to: same forms as --since (default: now)')
    .option('--limit <n>', `at most this many rows, 1 to ${MAX_LIMIT}`, String(DEFAULT_LIMIT))
    .addOption(new Option('--format <format>', FORMATS.join(', ')).default('table'))
    .option('--deletions', "include retention's snapshot deletions (type snapshot-deletion)")
    .addHelpText(
      'after',
      `
Every combination is an index query, never a table scan:
  --droplet (with or without --policy/--status)  the by-droplet index, filtered by policy and status
  --policy  (with or without --status)           the policy's own partition, filtered by status
  --status                                       the by-status index (failed: three queries)
  no filter                                      the by-status index, one query per status, merged
--since/--until bound the index's own time: when the ledger first recorded the item (--droplet),
the tick (--policy), or the last update (--status, no filter). Rows come oldest first; --limit keeps
the first N and says so on stderr when more match. JSON is an array of
{policy, scheduledTime, dropletId, dropletName, type, status, actionId, startedAt, completedAt, error}
(error: the message or null); CSV has that header (RFC 4180, CRLF). Retention's snapshot
deletions appear only with --deletions, as rows of type snapshot-deletion.

Examples:
  $ droplet-scheduler audit --droplet 42 --since 7d
  $ droplet-scheduler audit --droplet 42 --status failed
  $ droplet-scheduler audit --policy nightly-snapshots --since 2026-11-01 --format csv > nightly.csv
  $ droplet-scheduler audit --status failed --since 24h --format json | jq length
  $ droplet-scheduler audit --table droplet-scheduler-ledger --region eu-central-1 --status timed-out`,
    )
    .action(async (flags: AuditFlags) => {
      const query = parseAuditFlags(flags, new Date());
      const format = flags.format as (typeof FORMATS)[number];
      if (flags.table === undefined && !existsSync(path.resolve(context.cwd, flags.store))) {
        throw new UsageError(
          '--store',
          flags.store,
          'a directory holding a ledger (run or local creates one)',
        );
      }
      const opened = await openCliLedger(flags, context);
      let result: AuditResult;
      try {
        result = await readAudit(opened.ledger, query);
      } finally {
        await opened.close();
      }
      printAudit(result.records.map(auditRow), result.records, format, query, context);
      if (result.truncated) {
        context.output.note(
          `showing the first ${query.limit} rows; more match (narrow --since/--until or raise --limit)`,
        );
      }
    });

/** Checks every flag; each bad value is a UsageError naming the flag, the value and what is accepted. */
export function parseAuditFlags(flags: AuditFlags, now: Date): AuditQuery {
  let dropletId: number | undefined;
  if (flags.droplet !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(flags.droplet))
      throw new UsageError('--droplet', flags.droplet, 'a droplet id (a positive integer)');
    dropletId = Number(flags.droplet);
  }
  if (flags.policy !== undefined && flags.policy.trim() === '')
    throw new UsageError('--policy', flags.policy, 'a policy name');
  let statuses: LedgerStatus[] | undefined;
  if (flags.status !== undefined) {
    if (flags.status === 'failed') statuses = [...FAILURE_STATUSES];
    else if (isLedgerStatus(flags.status)) statuses = [flags.status];
    else throw new UsageError('--status', flags.status, `one of ${STATUS_CHOICES.join(', ')}`);
  }
  if (!/^\d+$/.test(flags.limit) || Number(flags.limit) < 1 || Number(flags.limit) > MAX_LIMIT)
    throw new UsageError('--limit', flags.limit, `an integer from 1 to ${MAX_LIMIT}`);
  if (!(FORMATS as readonly string[]).includes(flags.format))
    throw new UsageError('--format', flags.format, `one of ${FORMATS.join(', ')}`);
  const from = parseTimeFlag('--since', flags.since, now);
  const to = flags.until === undefined ? now : parseTimeFlag('--until', flags.until, now);
  if (from.getTime() > to.getTime())
    throw new UsageError('--since', flags.since, `a time before --until (${to.toISOString()})`);
  return {
    dropletId,
    policy: flags.policy,
    statuses,
    from: from.toISOString(),
    to: to.toISOString(),
    limit: Number(flags.limit),
    includeDeletions: flags.deletions === true,
  };
}

/** Runs the query through the one index that answers it (see the help text), page by page up to the limit. */
export async function readAudit(ledger: ActionLedger, query: AuditQuery): Promise<AuditResult> {
  const range = { from: query.from, to: query.to };
  const wanted = (record: LedgerRecord): record is DropletLedgerRecord =>
    record.kind !== 'run' &&
    (query.includeDeletions || record.kind !== 'snapshot-deletion') &&
    (query.statuses === undefined || query.statuses.includes(record.status)) &&
    (query.policy === undefined || record.policy === query.policy);
  if (query.dropletId !== undefined) {
    const id = query.dropletId;
    return collect(
      (cursor) => ledger.queryByDroplet(id, { ...range, cursor, limit: PAGE_SIZE }),
      wanted,
      query.limit,
    );
  }
  if (query.policy !== undefined) {
    const policy = query.policy;
    return collect(
      (cursor) => ledger.queryByPolicy(policy, { ...range, cursor, limit: PAGE_SIZE }),
      wanted,
      query.limit,
    );
  }
  const results = await Promise.all(
    (query.statuses ?? LEDGER_STATUSES).map((status) =>
      collect(
        (cursor) => ledger.queryByStatus(status, { ...range, cursor, limit: PAGE_SIZE }),
        wanted,
        query.limit,
      ),
    ),
  );
  const merged = results
    .flatMap((result) => result.records)
    .sort(
      (a, b) =>
        a.updatedAt.localeCompare(b.updatedAt) || describeItem(idOf(a)).localeCompare(describeItem(idOf(b))),
    );
  return {
    records: merged.slice(0, query.limit),
    truncated: merged.length > query.limit || results.some((result) => result.truncated),
  };
}

/** Pages through one query until `limit` records pass the filter or the query ends. */
async function collect<T extends LedgerRecord>(
  page: (cursor?: string) => Promise<Page<T>>,
  wanted: (record: LedgerRecord) => record is DropletLedgerRecord,
  limit: number,
): Promise<AuditResult> {
  const records: DropletLedgerRecord[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    for (const item of next.items) {
      if (!wanted(item)) continue;
      if (records.length === limit) return { records, truncated: true };
      records.push(item);
    }
    cursor = next.cursor;
  } while (cursor !== undefined);
  return { records, truncated: false };
}

function printAudit(
  rows: AuditRow[],
  records: DropletLedgerRecord[],
  format: (typeof FORMATS)[number],
  query: AuditQuery,
  { output }: CliContext,
): void {
  if (format === 'json') {
    output.json(rows);
    return;
  }
  if (format === 'csv') {
    // RFC 4180 ends every record with CRLF; line() adds the final LF itself.
    const csv = toCsv(
      AUDIT_FIELDS,
      rows.map((row) => AUDIT_FIELDS.map((field) => row[field])),
    );
    output.line(csv.slice(0, -1));
    return;
  }
  if (rows.length === 0) {
    output.line(`No ledger records match between ${query.from} and ${query.to}.`);
    return;
  }
  const { green, red, yellow, dim, bold } = output.colors;
  const statusPaint = (padded: string, value: string) =>
    value === 'completed'
      ? green(padded)
      : (FAILURE_STATUSES as readonly string[]).includes(value)
        ? red(padded)
        : value === 'skipped'
          ? dim(padded)
          : yellow(padded);
  const columns: TableColumn[] = [
    { header: 'SCHEDULED (UTC)' },
    { header: 'POLICY' },
    { header: 'DROPLET', align: 'right' },
    { header: 'NAME' },
    { header: 'TYPE' },
    { header: 'STATUS', paint: statusPaint },
    { header: 'ACTION', align: 'right' },
    { header: 'STARTED' },
    { header: 'COMPLETED' },
    { header: 'ERROR / REASON' },
  ];
  const time = (value: string | null) => (value === null ? '-' : formatUtc(new Date(value)));
  const table = rows.map((row, index) => {
    const record = records[index]!;
    const reason = record.kind === 'action' && record.reason && !row.error ? `(${record.reason})` : '';
    return [
      time(row.scheduledTime),
      row.policy,
      String(row.dropletId),
      row.dropletName ?? '-',
      row.type,
      row.status,
      row.actionId === null ? '-' : String(row.actionId),
      time(row.startedAt),
      time(row.completedAt),
      (row.error ?? reason).replace(/\s+/g, ' '),
    ];
  });
  for (const line of renderTable(columns, table, bold)) output.line(line);
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
  output.line(
    dim(
      `${rows.length} row${rows.length === 1 ? '' : 's'}: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`,
    ),
  );
}
