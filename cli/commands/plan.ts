import { Command, Option } from 'commander';
import { DigitalOceanClient } from '../../lambdas/adapters/digitalocean';
import {
  BILLING_NOTICE,
  DIGITALOCEAN_RATE_LIMITS,
  formatMinutes,
  isPowerSchedule,
  policyRunWindowMinutes,
  sendDuration,
  teamBudgets,
  tickBudget,
  windowRisk,
  type TickBudget,
} from '../../lambdas/core/plan';
import { skipTagsOf } from '../../lambdas/core/overrides/skip-tags';
import type { Policy } from '../../lambdas/core/policy';
import type { Droplet, DropletApi } from '../../lambdas/core/ports/droplet-api';
import { nextFireTimes } from '../../lambdas/core/schedule';
import { calendarDateIn } from '../../lambdas/core/use-cases/calendar-date-in';
import type { CliContext } from '../cli-context';
import { commanderOutput } from '../format/commander-output';
import { parkingLossText, parkingStepsText, stepsText } from '../format/workflow-text';
import { parseTimeFlag, TIME_FLAG_EXPECTED } from '../format/time-flag';
import { formatInZone, formatUtc, isoInZone } from '../format/zoned-time';
import { addBillingOption, parseBillingFlag, type BillingFlags } from '../options/billing-option';
import {
  addApiOption,
  addPolicyFileOption,
  type ApiFlags,
  type PolicyFileFlags,
} from '../options/common-options';
import { registerSecret } from '../output';
import { resolveApiUrl } from '../store/open-cli-runtime';
import { UsageError } from '../usage-error';
import type { CommandFactory } from './index';
import { savingLines } from './plan-savings';
import { readPolicyFile } from './validate';

const MAX_COUNT = 1000;

interface PlanFlags extends PolicyFileFlags, ApiFlags, BillingFlags {
  readonly from?: string;
  readonly count: string;
  readonly json?: boolean;
}

/**
 * One policy in `plan --json`. `fireTimes` holds every tick EventBridge fires, skip dates included
 * (the schedule does fire then; the dispatch records the tick `skipped`); `skippedTimes` repeats
 * those that fall on a skip date. Both are ISO 8601 UTC with a `Z`, and both are empty for a
 * disabled policy.
 */
export interface PlannedPolicy {
  readonly policy: string;
  readonly timezone: string;
  readonly fireTimes: string[];
  /** `fireTimes` as the policy's zone reads them, ISO 8601 with that zone's offset at each instant. */
  readonly localFireTimes: string[];
  readonly skippedTimes: string[];
}

/** What a tick targets: a known number of droplets, or a tag that could not be resolved. */
type TargetCount =
  { readonly count: number; readonly text: string } | { readonly count?: undefined; readonly text: string };

/** What plan learnt of the targets, and the client it asked, when a token is set. */
interface Targets {
  readonly counts: Map<string, TargetCount>;
  /** The droplets of each tag listed. */
  readonly tagDroplets: Map<string, readonly Droplet[]>;
  readonly api?: DropletApi;
}

export const planCommand: CommandFactory = (context) =>
  addBillingOption(
    addApiOption(addPolicyFileOption(new Command('plan').configureOutput(commanderOutput(context.output)))),
  )
    .description(
      'Show when each policy fires next (local time and UTC), its targets, and the API requests one tick costs.',
    )
    .option('--from <time>', `list fire times after this instant: ${TIME_FLAG_EXPECTED} (default: now)`)
    .addOption(new Option('--count <n>', `fire times per policy, 1 to ${MAX_COUNT}`).default('5'))
    .option(
      '--json',
      'print [{policy, timezone, fireTimes, localFireTimes, skippedTimes}] only (ISO 8601: UTC, and the policy zone)',
    )
    .addHelpText(
      'after',
      `
Targets are counted through the API when DIGITALOCEAN_TOKEN is set (one droplet list per tag);
otherwise a tag is shown as not resolved. The budget counts the requests one tick sends to start
its actions (a bulk tag request is 1; per droplet: one POST each, plus the tag's list pages of 200,
plus a GET each when id targets skip droplets already in state, plus one list per skip tag for a
bulk tick or id targets) and how long they take at 250
requests a minute and 5,000 an hour. It warns when they cannot all be sent before the policy's
next tick. After the start it counts a workflow's later steps (one POST per droplet each) and, as
a worst case, fallbacks, onFailure and retention; a parking policy's checks and later requests are
estimates per droplet (lambdas/core/plan/README.md says what they assume). A policy with steps
shows them; a parking policy shows what it does and what it may lose, and a park policy lists
under skips: the droplets it would leave running rather than lose that. A park policy shows its
expected saving a month, averaged over the twelve whole months after --from, for the droplets it
targets now: prices from GET /v2/sizes, each unpark a new droplet billed until its destroy, the
snapshot's size taken from the droplet's newest snapshot (or bounded by its disk, then the saving
is "at least"), billed as --billing says (hourly by default, as DigitalOcean's pricing page
documents; docs/policies.md#parking). Ticks on a skip date are listed and marked skipped:
EventBridge still fires them and the dispatch records them as skipped. --json prints fire times only and calls no API; skipped ticks
stay in fireTimes and are repeated in skippedTimes.

Examples:
  $ droplet-scheduler plan
  $ droplet-scheduler plan -f examples/policies.yaml --count 10
  $ droplet-scheduler plan --from 2026-03-23T00:00Z --count 3 --json
  $ DIGITALOCEAN_TOKEN=... droplet-scheduler plan --api-url http://127.0.0.1:4010
  $ DIGITALOCEAN_TOKEN=... droplet-scheduler plan --billing per-second`,
    )
    .action(async (flags: PlanFlags) => {
      const count = parseCount(flags.count);
      const granularity = parseBillingFlag(flags.billing);
      const from = flags.from === undefined ? new Date() : parseTimeFlag('--from', flags.from, new Date());
      const set = await readPolicyFile(flags.file, context);
      const planned = set.policies.map((policy) => planPolicy(policy, from, count));
      if (flags.json) {
        context.output.json(planned);
        return;
      }
      const targets = await countTargets(set.policies, flags, context);
      const savings = await savingLines({
        policies: set.policies,
        from,
        granularity,
        api: targets.api,
        tagDroplets: targets.tagDroplets,
        note: context.output.note,
      });
      set.policies.forEach((policy, index) => {
        if (index > 0) context.output.line();
        printPolicy(
          policy,
          planned[index]!,
          targets.counts.get(policy.name)!,
          savings.lines.get(policy.name),
          savings.leftRunning.get(policy.name),
          from,
          context,
        );
      });
      printTeams(set.policies, targets.counts, context);
    });

/**
 * The API budget per team per tick, when the file names teams: each team's own token starts its
 * own ticks, so a team's time depends on its own requests only.
 */
function printTeams(
  policies: readonly Policy[],
  targets: Map<string, TargetCount>,
  { output }: CliContext,
): void {
  if (!policies.some((policy) => policy.team !== undefined)) return;
  const budgets = teamBudgets(policies, (policy) => targets.get(policy.name)?.count);
  output.line();
  output.line(
    output.colors.bold('teams') +
      output.colors.dim(' (each its own token, rate limiter and initiate concurrency)'),
  );
  for (const budget of budgets) {
    const uncounted =
      budget.uncounted.length > 0 ? `, not counting ${budget.uncounted.join(', ')} (tag not resolved)` : '';
    output.line(
      `  ${budget.team}: ${budget.policies.length === 1 ? '1 policy' : `${budget.policies.length} policies`}; all on one tick: ${plural(budget.startRequests, 'request')}${uncounted}, ${formatMinutes(budget.minutes)} at the token's limits less the reconciler's ${budget.reconcilePerHour} an hour`,
    );
  }
}

function parseCount(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_COUNT)
    throw new UsageError('--count', raw, `an integer from 1 to ${MAX_COUNT}`);
  return Number(raw);
}

/** The next fire times of one policy; none for a disabled one. */
export function planPolicy(policy: Policy, from: Date, count: number): PlannedPolicy {
  const times = policy.enabled
    ? nextFireTimes(policy.schedule, {
        timezone: policy.timezone,
        startDate: policy.startDate ? new Date(policy.startDate) : undefined,
        endDate: policy.endDate ? new Date(policy.endDate) : undefined,
        from,
        count,
      })
    : [];
  const skipped = times.filter((time) => policy.skipDates.includes(calendarDateIn(time, policy.timezone)));
  return {
    policy: policy.name,
    timezone: policy.timezone,
    fireTimes: times.map((time) => time.toISOString()),
    localFireTimes: times.map((time) => isoInZone(time, policy.timezone)),
    skippedTimes: skipped.map((time) => time.toISOString()),
  };
}

/** Droplet counts per policy: ids are known; tags are listed once each when a token is available. */
async function countTargets(
  policies: readonly Policy[],
  flags: ApiFlags,
  context: CliContext,
): Promise<Targets> {
  const token = context.env.DIGITALOCEAN_TOKEN?.trim();
  const tags = [
    ...new Set(
      policies.filter((p) => p.enabled && 'tag' in p.targets).map((p) => (p.targets as { tag: string }).tag),
    ),
  ];
  const tagCounts = new Map<string, number>();
  const tagDroplets = new Map<string, readonly Droplet[]>();
  let api: DropletApi | undefined;
  if (token) {
    registerSecret(token);
    api = new DigitalOceanClient({
      token,
      baseUrl: resolveApiUrl(flags, context),
      retry: { limit: 1 },
      timeoutMs: 15_000,
    });
    // A park policy's saving needs its droplets' sizes; other tags are only counted.
    const parked = new Set(
      policies.flatMap((p) => (p.parking?.role === 'park' && 'tag' in p.targets ? [p.targets.tag] : [])),
    );
    for (const tag of tags) {
      const droplets: Droplet[] = [];
      let total = 0;
      for await (const page of api.listDroplets({ tag })) {
        total += page.length;
        if (parked.has(tag)) droplets.push(...page);
      }
      tagCounts.set(tag, total);
      if (parked.has(tag)) tagDroplets.set(tag, droplets);
    }
  }
  const result = new Map<string, TargetCount>();
  for (const policy of policies) {
    if ('dropletIds' in policy.targets) {
      const ids = policy.targets.dropletIds;
      result.set(policy.name, {
        count: ids.length,
        text: `${ids.length} droplet${ids.length === 1 ? '' : 's'} by id (${abbreviate(ids)})`,
      });
      continue;
    }
    const tag = policy.targets.tag;
    const known = tagCounts.get(tag);
    result.set(
      policy.name,
      known === undefined
        ? { text: `tag ${tag} (not resolved: ${token ? 'policy disabled' : 'no DIGITALOCEAN_TOKEN'})` }
        : { count: known, text: `tag ${tag}: ${known} droplet${known === 1 ? '' : 's'}` },
    );
  }
  return { counts: result, tagDroplets, api };
}

function abbreviate(ids: readonly number[]): string {
  return ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 4).join(', ')}, … ${ids[ids.length - 1]}`;
}

function printPolicy(
  policy: Policy,
  planned: PlannedPolicy,
  target: TargetCount,
  saving: readonly string[] | undefined,
  leftRunning: readonly string[] | undefined,
  from: Date,
  { output }: CliContext,
): void {
  const { bold, dim, yellow, cyan } = output.colors;
  const kind = policy.parking ? 'parkSchedule' : 'powerSchedule';
  const origin = policy.expandedFrom ? dim(` (from ${kind} ${policy.expandedFrom})`) : '';
  output.line(`${bold(policy.name)}  ${policy.schedule}  ${policy.timezone}${origin}`);
  if (policy.description) output.line(`  ${dim(policy.description)}`);
  const budget = tickBudget(policy, target.count ?? 0);
  for (const line of workflowLines(policy)) output.line(`  ${line}`);
  output.line(`  action:   ${actionText(policy, budget)}`);
  output.line(`  targets:  ${target.text}`);
  if (!policy.enabled) {
    output.line(`  ${yellow('disabled')}: no fire times (deployed with its schedule disabled)`);
    if (isPowerSchedule(policy)) output.line(`  ${yellow('note:')} ${BILLING_NOTICE}`);
    return;
  }
  if (planned.fireTimes.length === 0) {
    output.line(`  no fire times after ${formatUtc(from)}`);
  } else {
    output.line(`  next ${planned.fireTimes.length} fire time${planned.fireTimes.length === 1 ? '' : 's'}:`);
    const skipped = new Set(planned.skippedTimes);
    for (const iso of planned.fireTimes) {
      const time = new Date(iso);
      const mark = skipped.has(iso)
        ? `   ${yellow('skipped')} (skipDates: ${calendarDateIn(time, policy.timezone)})`
        : '';
      output.line(`    ${formatInZone(time, policy.timezone)}   ${cyan(formatUtc(time))}${mark}`);
    }
  }
  output.line(`  budget:   ${budgetText(policy, budget, target.count !== undefined)}`);
  output.line(`  skip:     ${skipText(policy, budget, target.count)}`);
  saving?.forEach((line, index) => output.line(`  ${index === 0 ? 'saving:  ' : '         '} ${line}`));
  // Before anything happens, the droplets the park would leave alone, as the tick will record them.
  leftRunning?.forEach((line, index) =>
    output.line(`  ${index === 0 ? yellow('skips:   ') : '         '} ${line}`),
  );
  const risk = windowRisk(policy, target.count, policyRunWindowMinutes(policy, from));
  if (risk) output.line(`  ${yellow(risk.kind === 'over' ? 'warning:' : 'note:')} ${risk.message}`);
  if (isPowerSchedule(policy)) output.line(`  ${yellow('note:')} ${BILLING_NOTICE}`);
}

/** What the policy does to each droplet beyond one action: its steps, or what parking does and may lose. */
function workflowLines(policy: Policy): string[] {
  const { parking } = policy;
  if (parking?.role === 'park')
    return [`parks:    ${parkingStepsText(parking)}`, `may lose: ${parkingLossText(parking)}`];
  if (parking?.role === 'unpark')
    return [`unparks:  the droplets ${parking.parkPolicy} parked: ${parkingStepsText(parking)}`];
  const steps = stepsText(policy);
  return steps === undefined ? [] : [`steps:    ${steps}`];
}

function actionText(policy: Policy, budget: TickBudget): string {
  if (policy.parking) return 'one request per droplet (parking goes droplet by droplet)';
  const later = policy.steps ? '; later steps one request per droplet each' : '';
  const first = policy.steps ? `${policy.action.type} first` : policy.action.type;
  if (budget.mode === 'bulk') return `${first}, one bulk request for the whole tag${later}`;
  if (policy.action.type === 'snapshot' && 'tag' in policy.targets)
    return `${first}, one request per droplet (snapshots never go in bulk: each needs its own name)${later}`;
  return `${first}, one request per droplet${later}`;
}

/**
 * The requests of one tick: those that start it (timed at the token's rate), then what follows.
 * With the count unknown, what follows is given per droplet.
 */
function budgetText(policy: Policy, budget: TickBudget, known: boolean): string {
  const { perMinute, perHour } = DIGITALOCEAN_RATE_LIMITS;
  const rates = `at ${perMinute}/minute and ${perHour.toLocaleString('en-US')}/hour`;
  const one = tickBudget(policy, 1);
  const [later, followUps, each] = known
    ? [budget.laterRequests, budget.followUpRequests, '']
    : [one.laterRequests, one.followUpRequests, ' per droplet'];
  const tail = [
    known
      ? `reconcile ~${plural(budget.reconcileReadsPerCheck, 'read')} per check`
      : 'reconcile reads 1 page per 200 actions per check',
    later > 0 ? `later ${plural(later, 'request')}${each}` : undefined,
    followUps > 0 ? `follow-ups up to ${plural(followUps, 'request')}${each}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  if (!known && budget.mode === 'per-droplet') {
    const start =
      one.checkReads > 0
        ? `${one.checkReads + one.initiateRequests} requests per droplet (${plural(one.checkReads, 'check read')}, 1 POST)`
        : '1 POST per droplet';
    return `${start} + 1 droplet list page per 200 (count unknown), ${rates}; ${tail}`;
  }
  const parts = [
    budget.skipListRequests > 0 ? plural(budget.skipListRequests, 'skip-tag list') : undefined,
    budget.listRequests > 0 ? plural(budget.listRequests, 'droplet list page') : undefined,
    budget.stateReads > 0 ? plural(budget.stateReads, 'droplet GET') : undefined,
    budget.checkReads > 0 ? plural(budget.checkReads, 'check read') : undefined,
    budget.mode === 'bulk' ? '1 bulk POST' : plural(budget.initiateRequests, 'POST'),
  ].filter(Boolean);
  const duration = sendDuration(budget.startRequests);
  const time = duration.hourBound
    ? `${formatMinutes(duration.minutesAtPerMinute)} at ${perMinute}/minute, stretched to ${formatMinutes(duration.minutes)} by the ${perHour.toLocaleString('en-US')}/hour window`
    : `${formatMinutes(duration.minutes)} ${rates}`;
  return `${plural(budget.startRequests, 'request')} per tick (${parts.join(', ')}), ${time}; ${tail}`;
}

/** Which tags leave a droplet alone, and what finding them costs a tick (see `findLeftAlone`). */
function skipText(policy: Policy, budget: TickBudget, count: number | undefined): string {
  const tags = skipTagsOf(policy.name).join(' or ');
  const narrowed = skipTagsOf(policy.name).length === 1 ? ` (a name with "." cannot be part of a tag)` : '';
  if (budget.skipListRequests === 0)
    return `droplets tagged ${tags} are left alone${narrowed}; the tag's own list shows them, no extra request`;
  const lists = `${plural(budget.skipListRequests, 'list request')} a tick, more only past 200 such droplets`;
  if (budget.splitStartRequests === undefined)
    return `droplets tagged ${tags} are left alone${narrowed} (${lists})`;
  const tag = 'tag' in policy.targets ? policy.targets.tag : '';
  const split =
    count === undefined
      ? 'plus 1 list page per 200 droplets and 1 POST per droplet'
      : `${plural(budget.splitStartRequests, 'request')} instead of ${budget.startRequests}`;
  return (
    `droplets tagged ${tags} are left alone${narrowed} (${lists}); ` +
    `while one of them (or a snoozed droplet) is in tag ${tag}, a tick goes one request per droplet: ${split}`
  );
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
