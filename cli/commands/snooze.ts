import { randomInt } from 'node:crypto';
import { userInfo } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { formatOverrideId, type OverrideRecord } from '../../lambdas/core/ledger/override-record';
import {
  cancelOverride,
  createOverride,
  listOverrides,
  type OverrideDependencies,
} from '../../lambdas/core/overrides/manage-overrides';
import { loadPolicyFile, type Policy } from '../../lambdas/core/policy';
import { Timing } from '../../lambdas/core/state/timing';
import type { CliContext } from '../cli-context';
import { commanderOutput } from '../format/commander-output';
import { shellCommand } from '../format/shell-command';
import { renderTable } from '../format/table';
import { MAX_SNOOZE_DAYS, parseUntilFlag } from '../format/until-flag';
import { formatInZone, formatUtc } from '../format/zoned-time';
import {
  addPolicyFileOption,
  addStoreOptions,
  DEFAULT_STORE_DIR,
  type PolicyFileFlags,
  type StoreFlags,
} from '../options/common-options';
import { openCliLedger } from '../store/open-cli-ledger';
import { findPolicy } from '../options/find-policy';
import { UsageError } from '../usage-error';
import type { CommandFactory } from './index';

interface SnoozeFlags extends PolicyFileFlags, StoreFlags {
  readonly droplet?: string;
  readonly until?: string;
  readonly reason?: string;
  readonly list?: boolean;
  readonly all?: boolean;
  readonly cancel?: string;
}

const MAX_REASON_LENGTH = 200;
/** Letters and digits that cannot be misread for one another (no 0/o, 1/l/i). */
const KEY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const KEY_LENGTH = 6;
const OVERRIDE_ID = /^([0-9A-Za-z_.-]{1,64}):([a-z0-9]{4,16})$/;

/** `snooze`: "not tonight" for a policy or one of its droplets, kept in the ledger that dispatch reads. */
export const snoozeCommand: CommandFactory = (context) => {
  const command = addStoreOptions(
    addPolicyFileOption(
      new Command('snooze')
        .configureOutput(commanderOutput(context.output))
        .description(
          'Leave a policy (or one droplet of it) alone until a time: its ticks are recorded skipped.',
        )
        .argument('[policy]', 'the policy to snooze (or, with --list, whose overrides to show)'),
    ),
  )
    .option('--droplet <id>', 'only this droplet: the policy goes on acting on the others')
    .option('--until <time>', 'when the policy acts again (see below for the forms)')
    .option(
      '--reason <text>',
      `why, shown in audit and in the skipped items (at most ${MAX_REASON_LENGTH} characters)`,
    )
    .option('--list', 'show the overrides in force (of POLICY, or of every policy in the file)')
    .option('--all', 'with --list: expired and cancelled overrides too')
    .option('--cancel <id>', 'end an override now, by the id snooze and --list print (policy:key)')
    .addHelpText(
      'after',
      `
--until takes:
  22:00                the next 22:00 on the policy's clock (today, or tomorrow once it has passed)
  2026-11-27T22:00     a date and time on the policy's clock: a time without an offset is read in
  2026-11-27 22:00     the policy's time zone (its timezone in the file), not the machine's
  2026-11-27T21:00Z    an instant, with Z or an offset such as +01:00
  90m, 2h, 3d          that long from now
It must be in the future and at most ${MAX_SNOOZE_DAYS} days ahead.

Every tick of the policy scheduled before --until is recorded skipped with the override's id and
reason, and the policy acts again from the first tick at or after it (a tick at exactly 22:00
acts). With --droplet, only that droplet is skipped; a bulk action on a tag then goes one request
per droplet for the others. Actions already started or queued are not stopped. Overrides live in
the ledger (--store, or a deployed --table), so a running local scheduler and the deployed
Lambdas honour them from their next tick; audit --policy shows each override and what it skipped.

Examples:
  $ droplet-scheduler snooze weekend-off --until 22:00 --reason "release tonight"
  $ droplet-scheduler snooze nightly-snapshots --droplet 3164450 --until 3d
  $ droplet-scheduler snooze --list
  $ droplet-scheduler snooze --cancel weekend-off:k3x9q2
  $ droplet-scheduler snooze weekend-off --until 2h --table droplet-scheduler-ledger --region eu-central-1`,
    );
  return command.action(async (policyName: string | undefined, flags: SnoozeFlags) => {
    if (flags.cancel !== undefined) {
      refuseWith(flags, '--cancel', ['list', 'until', 'droplet', 'reason', 'all'], policyName);
      await cancel(context, flags, flags.cancel);
    } else if (flags.list) {
      refuseWith(flags, '--list', ['until', 'droplet', 'reason'], undefined);
      await list(context, flags, policyName, command.getOptionValueSource('file') === 'default');
    } else {
      if (flags.all) throw new UsageError('--all', true, 'it only together with --list');
      await snooze(context, flags, policyName);
    }
  });
};

/** One mode at a time: `--list` and `--cancel` take none of the flags that write a snooze. */
function refuseWith(
  flags: SnoozeFlags,
  mode: string,
  others: readonly (keyof SnoozeFlags)[],
  policy: string | undefined,
): void {
  for (const other of others) {
    if (flags[other] !== undefined)
      throw new UsageError(`--${other}`, flags[other], `no --${other} with ${mode}`);
  }
  if (policy !== undefined)
    throw new UsageError('POLICY', policy, `no POLICY with ${mode} (the id names its policy)`);
}

async function snooze(context: CliContext, flags: SnoozeFlags, name: string | undefined): Promise<void> {
  if (name === undefined)
    throw new UsageError('POLICY', 'nothing', 'the policy to snooze (or --list, or --cancel ID)');
  const policy = await findPolicy(context, flags.file, name);
  if (flags.until === undefined)
    throw new UsageError(
      '--until',
      'nothing',
      'when the policy acts again, e.g. --until 22:00 or --until 2h',
    );
  const now = new Date();
  const until = parseUntilFlag(flags.until, { timezone: policy.timezone, now });
  const dropletId = flags.droplet === undefined ? undefined : parseDroplet(flags.droplet, policy);
  const reason = flags.reason === undefined ? undefined : parseReason(flags.reason);
  await withLedger(context, flags, async (deps) => {
    const override = await createOverride(deps, {
      policy: policy.name,
      team: policy.team,
      key: newKey(),
      dropletId,
      until: until.toISOString(),
      reason,
      createdBy: currentUser(context),
    });
    const { bold } = context.output.colors;
    const what = dropletId === undefined ? policy.name : `droplet ${dropletId} in ${policy.name}`;
    context.output.line(
      `snoozed ${bold(what)} until ${formatInZone(until, policy.timezone)} (${formatUtc(until)}): ` +
        `${policy.name}'s ticks before then are recorded skipped${dropletId === undefined ? '' : ' for this droplet'}`,
    );
    context.output.line(`override ${bold(formatOverrideId(override))}; end it early with:`);
    context.output.line(
      `  ${shellCommand(['droplet-scheduler', 'snooze', '--cancel', formatOverrideId(override), ...storeArgs(flags)])}`,
    );
  });
}

async function list(
  context: CliContext,
  flags: SnoozeFlags,
  name: string | undefined,
  defaultFile: boolean,
): Promise<void> {
  const { names, zones } = await policiesToList(context, flags, name, defaultFile);
  const now = new Date();
  await withLedger(context, flags, async (deps) => {
    const rows: OverrideRecord[] = [];
    for (const policy of names)
      rows.push(...(await listOverrides(deps.ledger, policy, { now, all: flags.all })));
    if (rows.length === 0) {
      context.output.line(
        `No overrides ${flags.all ? 'on record' : 'in force'} for ${name ?? `the policies of ${flags.file}`}.`,
      );
      return;
    }
    const until = (override: OverrideRecord) => {
      const instant = new Date(override.until);
      const zone = zones.get(override.policy);
      return `${formatUtc(instant)}${zone ? ` (${formatInZone(instant, zone)})` : ''}`;
    };
    const table = rows.map((override) => [
      formatOverrideId(override),
      override.dropletId === undefined ? 'all' : String(override.dropletId),
      until(override),
      statusOf(override, now),
      override.reason ?? '-',
    ]);
    const columns = ['ID', 'DROPLET', 'UNTIL (UTC)', 'STATUS', 'REASON'].map((header) => ({ header }));
    for (const line of renderTable(columns, table, context.output.colors.bold)) context.output.line(line);
  });
}

async function cancel(context: CliContext, flags: SnoozeFlags, id: string): Promise<void> {
  const match = OVERRIDE_ID.exec(id.trim());
  if (!match)
    throw new UsageError(
      '--cancel',
      id,
      'an override id such as weekend-off:k3x9q2 (snooze --list prints them)',
    );
  const [, policy, key] = match as unknown as [string, string, string];
  await withLedger(context, flags, async (deps) => {
    const outcome = await cancelOverride(deps, policy, key);
    if (outcome.kind === 'not-found')
      throw new UsageError(
        '--cancel',
        id,
        `the id of an override of ${policy} on record (snooze --list --all shows them)`,
      );
    if (outcome.kind === 'already-over') {
      context.output.line(`override ${id} was already over (${outcome.why}); nothing changed`);
      return;
    }
    const what =
      outcome.override.dropletId === undefined
        ? policy
        : `droplet ${outcome.override.dropletId} in ${policy}`;
    context.output.line(`cancelled override ${id}: ${what} acts again from its next tick`);
  });
}

async function withLedger(
  context: CliContext,
  flags: SnoozeFlags,
  body: (deps: OverrideDependencies) => Promise<void>,
): Promise<void> {
  const opened = await openCliLedger(flags, context);
  try {
    await body({ ledger: opened.ledger, now: () => new Date(), timing: new Timing() });
  } finally {
    await opened.close();
  }
}

/**
 * The policies whose overrides `--list` shows, and their time zones: the one named, or every policy
 * in the file. A named policy need not be in the file (it may have been removed since it was
 * snoozed), and then the default file need not exist.
 */
async function policiesToList(
  context: CliContext,
  flags: SnoozeFlags,
  name: string | undefined,
  defaultFile: boolean,
): Promise<{ names: string[]; zones: Map<string, string> }> {
  let policies: readonly Policy[];
  try {
    policies = (await loadPolicyFile(path.resolve(context.cwd, flags.file))).policies;
  } catch (error) {
    if (name === undefined || !defaultFile) throw error;
    policies = [];
  }
  const zones = new Map(policies.map((policy) => [policy.name, policy.timezone]));
  return { names: name === undefined ? policies.map((policy) => policy.name) : [name], zones };
}

function parseDroplet(raw: string, policy: Policy): number {
  if (!/^[1-9]\d{0,15}$/.test(raw))
    throw new UsageError('--droplet', raw, 'a droplet id (a positive integer)');
  const id = Number(raw);
  if ('dropletIds' in policy.targets && !policy.targets.dropletIds.includes(id))
    throw new UsageError(
      '--droplet',
      raw,
      `one of ${policy.name}'s droplet ids (${policy.targets.dropletIds.join(', ')})`,
    );
  return id;
}

function parseReason(raw: string): string {
  const reason = raw.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH || /[\r\n]/.test(reason))
    throw new UsageError('--reason', raw, `one line of 1 to ${MAX_REASON_LENGTH} characters`);
  return reason;
}

function statusOf(override: OverrideRecord, now: Date): string {
  if (override.status === 'cancelled') return 'cancelled';
  return Date.parse(override.until) > now.getTime() ? 'active' : 'expired';
}

function newKey(): string {
  return Array.from({ length: KEY_LENGTH }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('');
}

/** Who is snoozing, for audit: the OS user, when the platform says. */
function currentUser(context: CliContext): string | undefined {
  try {
    return context.env.USER ?? context.env.USERNAME ?? userInfo().username;
  } catch {
    return undefined;
  }
}

/** The store flags as given, for a hint that must reach the same ledger. */
function storeArgs(flags: StoreFlags): string[] {
  if (flags.table !== undefined)
    return [
      '--table',
      flags.table,
      ...(flags.region ? ['--region', flags.region] : []),
      ...(flags.endpoint ? ['--endpoint', flags.endpoint] : []),
    ];
  return flags.store === DEFAULT_STORE_DIR ? [] : ['--store', flags.store];
}
