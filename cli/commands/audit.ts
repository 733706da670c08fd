import { teamNameSchema } from '../../lambdas/core/policy/team-name';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  FAILURE_STATUSES,
  isLedgerStatus,
  LEDGER_STATUSES,
  type LedgerStatus,
} from '../../lambdas/core/ledger/ledger-status';
import { MAX_STATUS_QUERY_MONTHS } from '../../lambdas/core/ledger/ledger-time';
import { loadPolicyFile } from '../../lambdas/core/policy';
import { readAudit, type AuditQuery, type AuditResult } from '../../lambdas/core/use-cases/read-audit';
import { parkingCost } from '../../lambdas/core/parking/parking-cost';
import { readSavings, type SavingsReport } from '../../lambdas/core/use-cases/read-savings';
import type { CliContext } from '../cli-context';
import { AUDIT_FIELDS, auditDetails, auditRow, missingNameReason } from '../format/audit-row';
import { commanderOutput } from '../format/commander-output';
import { recordsCsv } from '../format/csv';
import { shellCommand } from '../format/shell-command';
import { renderTable, type TableColumn } from '../format/table';
import { parseTimeFlag, TIME_FLAG_EXPECTED } from '../format/time-flag';
import { formatUtc } from '../format/zoned-time';
import { addBillingOption, type BillingFlags } from '../options/billing-option';
import { addStoreOptions, DEFAULT_POLICY_FILE, type StoreFlags } from '../options/common-options';
import { openCliLedger } from '../store/open-cli-ledger';
import { displayStore, siblingStore, storeKind, type StoreKind } from '../store/store-kind';
import { UsageError } from '../usage-error';
import { NOT_WITH_SAVINGS, parseSavingsFlags, printSavings } from './audit-savings';
import type { CommandFactory } from './index';

const DEFAULT_SINCE = '7d';
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
const FORMATS = ['table', 'json', 'csv'] as const;
const STATUS_CHOICES = [...LEDGER_STATUSES, 'failed'] as const;

interface AuditFlags extends StoreFlags, BillingFlags {
  readonly droplet?: string;
  readonly name?: string;
  readonly policy?: string;
  readonly team?: string;
  readonly status?: string;
  readonly since: string;
  readonly until?: string;
  readonly limit: string;
  readonly format: string;
  readonly deletions?: boolean;
  readonly savings?: boolean;
  readonly file: string;
}

/** The flags of `audit` that are repeated, as given, in a hint to audit another store. */
const REPEATED_FLAGS = [
  'droplet',
  'name',
  'policy',
  'team',
  'status',
  'since',
  'until',
  'limit',
  'format',
  'deletions',
  'savings',
  'billing',
  'file',
] as const;

export const auditCommand: CommandFactory = (context) => {
  const command = addBillingOption(
    addStoreOptions(new Command('audit').configureOutput(commanderOutput(context.output))),
  )
    .description('Ask the ledger what happened: by droplet, by policy or by status, over a time range.')
    .option('--droplet <id>', 'one droplet: its actions, oldest first (all its ids, when it was ever parked)')
    .option('--name <name>', 'one parked droplet by name: the whole history of every id it has had')
    .option('--policy <name>', "one policy's ticks")
    .option('--team <name>', "only this team's policies (a policy's team; 'default' for those naming none)")
    .option(
      '--status <status>',
      `one of ${STATUS_CHOICES.join(', ')} (failed = errored, timed-out, rejected)`,
    )
    .option('--since <time>', `from: ${TIME_FLAG_EXPECTED}`, DEFAULT_SINCE)
    .option('--until <time>', 'to: same forms as --since (default: now)')
    .option('--limit <n>', `at most this many rows, 1 to ${MAX_LIMIT}`, String(DEFAULT_LIMIT))
    .addOption(new Option('--format <format>', FORMATS.join(', ')).default('table'))
    .option('--deletions', "include retention's snapshot deletions (type snapshot-deletion)")
    .option(
      '--savings',
      "what parking saved, per parked droplet (its lineage) and in all, from the ledger's park and unpark times",
    )
    .option(
      '-f, --file <file>',
      "the policy file, whose policies' skipped ticks are looked for (read when it exists)",
      DEFAULT_POLICY_FILE,
    )
    .addHelpText(
      'after',
      `
Every combination is an index query, never a table scan:
  --droplet (with or without --policy/--status)  the by-droplet index, filtered by policy and status
  --name    (same)                               the lineages, then --droplet for each id
  --policy  (with or without --status)           the policy's own partition, filtered by status
  --status                                       the by-status index (failed: three queries)
  no filter                                      the by-status index, one query per status, merged
--since/--until bound the index's own time: when the ledger first recorded the item (--droplet),
the tick (--policy), or the last update (--status, no filter); without --droplet or --policy they
may be at most ${MAX_STATUS_QUERY_MONTHS} months apart. Rows come oldest first; --limit keeps the
first N and says so on stderr when more match.

A skipped tick (a skip date, a snooze, a tag with no droplets) is one row with no droplet. It is
kept in its policy's partition only, so without --policy it is found for the policies of --file and
for every policy with other rows in range; so is a snooze (droplet-scheduler snooze), a row of type
snooze, shown unless --status is given, with how many of the rows shown it skipped. A droplet left
alone by a skip tag or a snooze is a skipped row that says why.

JSON is an array of {${AUDIT_FIELDS.join(', ')}}
(error: the message or null; reason: why it was skipped; parentActionId: the action a fallback
follows; snapshotId/snapshotName: the snapshot a deletion removed); CSV has that header (RFC 4180,
CRLF). Retention's snapshot deletions appear only with --deletions, as rows of type
snapshot-deletion. NAME is the name the ledger recorded for the droplet, on the row or on another
row of the droplet; "(bulk)" and "(by id)" say why there is none: a bulk request's answer and a
policy's droplet ids carry no names.

--savings prints one row per droplet parking has parked (its lineage: the id it had when first
parked, and the id it has now), over whole UTC calendar months, since DigitalOcean caps a
droplet's bill per month: the droplet left as it is (billed off or on) against the droplets
parking had, each unpark a new droplet billed on its own until its destroy, less the park snapshot
while parked ($0.06 per GB-month). --billing says how DigitalOcean rounds (hourly by default, as its
pricing page documents). --since/--until, when given, select the months that overlap them (by
default every month since each droplet's first park); --droplet (either id) and --policy (the park
policy, its unpark twin or the parkSchedule name) narrow it. JSON is {granularity, lineages, total}.

The simulated ledger of npm start and local --simulate is .droplet-scheduler/simulated, apart from
the real one (.droplet-scheduler): audit --store .droplet-scheduler/simulated reads it.

Examples:
  $ droplet-scheduler audit --droplet 42 --since 7d
  $ droplet-scheduler audit --droplet 42 --status failed
  $ droplet-scheduler audit --policy nightly-snapshots --since 2026-11-01 --format csv > nightly.csv
  $ droplet-scheduler audit --status failed --since 24h --format json | jq length
  $ droplet-scheduler audit --store .droplet-scheduler/simulated --deletions
  $ droplet-scheduler audit --savings
  $ droplet-scheduler audit --savings --since 2026-11-01 --billing per-second --format json
  $ droplet-scheduler audit --table droplet-scheduler-ledger --region eu-central-1 --status timed-out`,
    );
  return command.action(async (flags: AuditFlags) => {
    if (flags.savings) {
      await auditSavings(command, flags, context);
      return;
    }
    if (command.getOptionValueSource('billing') === 'cli')
      throw new UsageError(
        '--billing',
        flags.billing,
        '--savings beside it (it says how a saving is billed)',
      );
    const parsed = parseAuditFlags(flags, new Date());
    const format = flags.format as (typeof FORMATS)[number];
    const query: AuditQuery = {
      ...parsed,
      knownPolicies: await policyNames(context, flags, command.getOptionValueSource('file') === 'default'),
    };
    const store = flags.table === undefined ? localStore(context, flags) : undefined;
    let result: AuditResult = { entries: [], truncated: false };
    if (store === undefined || store.kind !== 'none') {
      const opened = await openCliLedger(flags, context);
      try {
        result = await readAudit(opened.ledger, query);
      } finally {
        await opened.close();
      }
    }
    printAudit(result, format, query, context);
    if (result.truncated) {
      context.output.note(
        `showing the first ${query.limit} rows; more match (narrow --since/--until or raise --limit)`,
      );
    }
    if (result.entries.length === 0 && store !== undefined) {
      const hint = otherStoreHint(context, store, command);
      if (hint) (format === 'table' ? context.output.line : context.output.note)(hint);
    }
  });
};

/** `audit --savings`: what parking saved, from the lineages in the ledger. */
async function auditSavings(command: Command, flags: AuditFlags, context: CliContext): Promise<void> {
  for (const flag of NOT_WITH_SAVINGS) {
    if (command.getOptionValueSource(flag) === 'cli')
      throw new UsageError(
        `--${flag}`,
        command.getOptionValue(flag),
        `no --${flag} with --savings (it counts every park of each droplet, one row per droplet)`,
      );
  }
  if (!(FORMATS as readonly string[]).includes(flags.format))
    throw new UsageError('--format', flags.format, `one of ${FORMATS.join(', ')}`);
  const query = parseSavingsFlags(
    flags,
    {
      since: command.getOptionValueSource('since') === 'cli',
      until: command.getOptionValueSource('until') === 'cli',
    },
    new Date(),
  );
  const store = flags.table === undefined ? localStore(context, flags) : undefined;
  let report: SavingsReport = {
    granularity: query.granularity,
    lineages: [],
    total: parkingCost(0, 0, 0),
    unpriced: 0,
    anyLineage: false,
  };
  if (store === undefined || store.kind !== 'none') {
    const opened = await openCliLedger(flags, context);
    try {
      report = await readSavings(opened.ledger, query);
    } finally {
      await opened.close();
    }
  }
  const format = flags.format as (typeof FORMATS)[number];
  printSavings(report, format, query, context);
  if (!report.anyLineage && store !== undefined) {
    const hint = otherStoreHint(context, store, command);
    if (hint) (format === 'table' ? context.output.line : context.output.note)(hint);
  }
}

interface LocalStore {
  readonly dir: string;
  readonly kind: StoreKind;
  readonly other: { readonly dir: string; readonly kind: StoreKind };
}

/** The local store the flags name, what it holds, and what its sibling holds (see `siblingStore`). */
function localStore(context: CliContext, flags: AuditFlags): LocalStore {
  const dir = path.resolve(context.cwd, flags.store);
  const otherDir = siblingStore(dir);
  const store = { dir, kind: storeKind(dir), other: { dir: otherDir, kind: storeKind(otherDir) } };
  // A store with no ledger is read as empty, without creating one, when its sibling has a ledger
  // to point at; otherwise the flag is most likely wrong.
  if (!existsSync(dir) && store.other.kind === 'none')
    throw new UsageError('--store', flags.store, 'a directory holding a ledger (run or local creates one)');
  return store;
}

/** "Nothing here, but the other store has a ledger: audit it so." Undefined when it has none. */
function otherStoreHint(context: CliContext, store: LocalStore, command: Command): string | undefined {
  if (store.other.kind === 'none') return undefined;
  const here = displayStore(store.dir, context.cwd);
  const there = displayStore(store.other.dir, context.cwd);
  const repeated = REPEATED_FLAGS.flatMap((flag) => {
    if (command.getOptionValueSource(flag) !== 'cli') return [];
    const value: unknown = command.getOptionValue(flag);
    const name = `--${flag}`;
    return value === true ? [name] : [name, String(value)];
  });
  const described = (kind: StoreKind) =>
    kind === 'simulated' ? 'the simulated ledger (npm start, local --simulate)' : 'the real ledger';
  return (
    `${store.kind === 'none' ? `${here} holds no ledger yet` : `${here} is ${described(store.kind)}`}; ` +
    `${described(store.other.kind)} is ${there}: ${shellCommand(['droplet-scheduler', 'audit', '--store', there, ...repeated])}`
  );
}

/**
 * The names of the policy file's policies, for finding their skipped ticks. The default file is
 * read only when it exists, and a default file that cannot be read is noted, not an error: audit
 * does not need it. A file named with --file must load.
 */
async function policyNames(context: CliContext, flags: AuditFlags, isDefault: boolean): Promise<string[]> {
  const file = path.resolve(context.cwd, flags.file);
  if (isDefault && !existsSync(file)) return [];
  try {
    return (await loadPolicyFile(file)).policies.map((policy) => policy.name);
  } catch (error) {
    if (!isDefault) throw error;
    context.output.note(
      `note: ${flags.file} not read (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}); skipped ticks show for policies with other rows only`,
    );
    return [];
  }
}

/** Checks every flag; each bad value is a UsageError naming the flag, the value and what is accepted. */
export function parseAuditFlags(flags: Omit<AuditFlags, 'file'>, now: Date): AuditQuery {
  let dropletId: number | undefined;
  if (flags.droplet !== undefined) {
    if (!/^[1-9]\d{0,15}$/.test(flags.droplet))
      throw new UsageError('--droplet', flags.droplet, 'a droplet id (a positive integer)');
    dropletId = Number(flags.droplet);
  }
  if (flags.policy !== undefined && flags.policy.trim() === '')
    throw new UsageError('--policy', flags.policy, 'a policy name');
  if (flags.name !== undefined && (flags.name.trim() === '' || dropletId !== undefined))
    throw new UsageError(
      '--name',
      flags.name,
      dropletId === undefined ? 'a droplet name' : 'either --name or --droplet, not both',
    );
  if (flags.team !== undefined && !teamNameSchema.safeParse(flags.team).success)
    throw new UsageError('--team', flags.team, 'a team name (1 to 32 lower-case letters, digits or "-")');
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
  // The by-status index has a partition per month; a range of decades is a typo, not a question.
  if (
    dropletId === undefined &&
    flags.name === undefined &&
    flags.policy === undefined &&
    monthsSpanned(from, to) > MAX_STATUS_QUERY_MONTHS
  )
    throw new UsageError(
      '--since/--until',
      `${flags.since} to ${flags.until ?? 'now'}`,
      `at most ${MAX_STATUS_QUERY_MONTHS} months apart without --droplet or --policy`,
    );
  return {
    dropletId,
    ...(flags.name === undefined ? {} : { dropletName: flags.name }),
    policy: flags.policy,
    team: flags.team,
    statuses,
    from: from.toISOString(),
    to: to.toISOString(),
    limit: Number(flags.limit),
    includeDeletions: flags.deletions === true,
  };
}

/** Calendar months from the month of `from` to the month of `to`, both counted. */
function monthsSpanned(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) + 1;
}

function printAudit(
  result: AuditResult,
  format: (typeof FORMATS)[number],
  query: AuditQuery,
  { output }: CliContext,
): void {
  const rows = result.entries.map(auditRow);
  if (format === 'json') {
    output.json(rows);
    return;
  }
  if (format === 'csv') {
    output.line(recordsCsv(AUDIT_FIELDS, rows));
    return;
  }
  if (rows.length === 0) {
    output.line(`No ledger records match between ${query.from} and ${query.to}.`);
    if (query.dropletName !== undefined)
      output.line(
        `--name finds droplets through their lineage, kept once a droplet is parked; for one never parked use --droplet <id>.`,
      );
    return;
  }
  if (result.dropletIds !== undefined)
    output.line(
      output.colors.dim(
        `one lineage, parked and unparked: droplet ids ${result.dropletIds.join(', ')} (LINEAGE is its first id)`,
      ),
    );
  const { green, red, yellow, dim, bold } = output.colors;
  const statusPaint = (padded: string, value: string) =>
    value === 'completed'
      ? green(padded)
      : (FAILURE_STATUSES as readonly string[]).includes(value)
        ? red(padded)
        : value === 'skipped'
          ? dim(padded)
          : yellow(padded);
  // Only a ledger with parked droplets needs the column.
  const withLineage = rows.some((row) => row.lineageId !== null);
  const columns: TableColumn[] = [
    { header: 'SCHEDULED (UTC)' },
    { header: 'POLICY' },
    { header: 'DROPLET', align: 'right' },
    ...(withLineage ? [{ header: 'LINEAGE', align: 'right' } as const] : []),
    { header: 'NAME' },
    { header: 'TYPE' },
    { header: 'STATUS', paint: statusPaint },
    { header: 'ACTION', align: 'right' },
    { header: 'STARTED' },
    { header: 'COMPLETED' },
    { header: 'ERROR / REASON' },
  ];
  const time = (value: string | null) => (value === null ? '-' : formatUtc(new Date(value)));
  let unnamed = false;
  const table = result.entries.map((entry, index) => {
    const row = rows[index]!;
    const whyNoName = missingNameReason(entry);
    if (whyNoName === '(bulk)' || whyNoName === '(by id)') unnamed = true;
    return [
      time(row.scheduledTime),
      row.policy,
      row.dropletId === null ? '-' : String(row.dropletId),
      ...(withLineage ? [row.lineageId === null ? '-' : String(row.lineageId)] : []),
      row.dropletName ?? whyNoName ?? '-',
      row.type,
      row.status,
      row.actionId === null ? '-' : String(row.actionId),
      time(row.startedAt),
      time(row.completedAt),
      auditDetails(entry),
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
  if (unnamed)
    output.line(
      dim(
        'NAME (bulk), (by id): no name on record; a bulk request answers with ids only, and a policy by droplet ids never lists them',
      ),
    );
}
