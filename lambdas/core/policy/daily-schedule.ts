import * as z from 'zod';
import { WEEKDAYS } from '../actions/backup-policy';
import { readField } from './mapping-fields';
import type { PathSegment, PolicyFinding } from './policy-finding';
import { POLICY_NAME_MAX_LENGTH } from './policy-name';

/*
 * The shape `powerSchedule` and `parkSchedule` share: two local times of day on the same days of
 * the week, `{ on: "07:00", off: "20:00", days: MON-FRI }`. Each time becomes a policy of its own,
 * `<name><suffix>`, firing `cron(MM HH ? * DAYS *)` in the policy's time zone.
 */

const TIME_OF_DAY = /^(\d{1,2}):(\d{2})$/;

/** `{ hour, minute }` of an `HH:MM` string, or undefined when it is not a time of day. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | undefined {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? { hour, minute } : undefined;
}

/** The day numbers (0 = SUN … 6 = SAT) a `days` value names, or a description of what is wrong. */
export function parseDays(days: string | readonly string[]): number[] | string {
  const items = (typeof days === 'string' ? [days] : days).flatMap((item) => item.split(','));
  const selected = new Set<number>();
  for (const raw of items) {
    const item = raw.trim().toUpperCase();
    const [from, to, extra] = item.split('-');
    const start = dayNumber(from);
    const end = to === undefined ? start : dayNumber(to);
    if (start === undefined || end === undefined || extra !== undefined) {
      const culprit = extra !== undefined ? item : start === undefined ? from : to;
      return `days such as MON-FRI, SAT,SUN or [MON, WED-FRI]; ${JSON.stringify(culprit)} is not one of SUN..SAT or a range of them`;
    }
    for (let day = start; ; day = (day + 1) % 7) {
      selected.add(day);
      if (day === end) break;
    }
  }
  if (selected.size === 0) return 'at least one day';
  return [...selected].sort((a, b) => a - b);
}

/** The cron day-of-week field for a set of days: `*`, `MON-FRI`, or `SUN,SAT`. */
export function dayOfWeekField(days: readonly number[]): string {
  if (days.length === 7) return '*';
  const runs: number[][] = [];
  for (const day of days) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1] === day - 1) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) =>
      run.length >= 3
        ? [`${WEEKDAYS[run[0]!]}-${WEEKDAYS[run[run.length - 1]!]}`]
        : run.map((day) => WEEKDAYS[day]!),
    )
    .join(',');
}

/** The EventBridge cron expression firing at `HH:MM` on these days. */
export function dailyCron(time: string, days: readonly number[]): string {
  const parsed = parseTimeOfDay(time);
  if (!parsed) throw new RangeError(`not a time of day: ${time}`);
  return `cron(${parsed.minute} ${parsed.hour} ? * ${dayOfWeekField(days)} *)`;
}

const TIME_OF_DAY_EXPECTED = 'a time of day HH:MM, such as 07:00';

/**
 * A local time `HH:MM`.
 * @param expected what to say when it is missing or not text, after "expected".
 */
export function timeOfDaySchema(expected = TIME_OF_DAY_EXPECTED) {
  return z
    .string({ message: `expected ${expected}` })
    .refine((text) => parseTimeOfDay(text) !== undefined, { message: `expected ${TIME_OF_DAY_EXPECTED}` });
}

export const daysSchema = z.union([z.string(), z.array(z.string()).min(1)], {
  message: 'expected days such as MON-FRI or [SAT, SUN]',
});

/**
 * The checks both shapes make beyond each field's own: at least one of the two times, two
 * different times (the same minute would start two opposite actions at once), and days that parse.
 */
export function checkDailyTimes<K extends string>(
  schedule: Partial<Record<K, string>> & { readonly days: string | readonly string[] },
  [first, second]: readonly [K, K],
  ctx: z.RefinementCtx,
): void {
  const [a, b] = [schedule[first], schedule[second]];
  if (a === undefined && b === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected at least one of ${first} or ${second}` });
  } else if (a !== undefined && b !== undefined && sameTime(a, b)) {
    ctx.addIssue({ code: 'custom', path: [second], message: `expected a different time from ${first}` });
  }
  const days = parseDays(schedule.days);
  if (typeof days === 'string') ctx.addIssue({ code: 'custom', path: ['days'], message: `expected ${days}` });
}

/** How one policy key expands into policies of its own. */
export interface DailyScheduleSpec<S, K extends keyof S & string> {
  /** The policy key, e.g. `powerSchedule`. */
  readonly key: string;
  readonly schema: z.ZodType<S>;
  /** What the field should look like, phrased to follow "expected". */
  readonly expected: string;
  /** Each time key and the suffix its policy's name gets, in the order the policies come out. */
  readonly suffixes: Readonly<Record<K, string>>;
  /** Policy keys that cannot stand beside this one. */
  readonly excludes: readonly string[];
  /** Why they cannot, after "no <key>: ". */
  readonly because: string;
}

/** One time of a daily schedule, as the policy it becomes: which time, its name suffix and its cron. */
export interface DailyPart<K extends string> {
  readonly time: K;
  readonly suffix: string;
  readonly schedule: string;
}

/**
 * Reads a daily schedule of one policy entry and returns a part per time it gives, reporting keys
 * that cannot stand beside it and a name too long for the longest suffix. Returns the schedule
 * too, for the caller's own options; undefined when the field is wrong (having said why).
 */
export function expandDailySchedule<
  S extends { readonly days: string | readonly string[] },
  K extends keyof S & string,
>(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  name: string | undefined,
  spec: DailyScheduleSpec<S, K>,
  findings: PolicyFinding[],
): { schedule: S; parts: DailyPart<K>[] } | undefined {
  for (const key of spec.excludes) {
    if (Object.hasOwn(raw, key)) {
      findings.push({
        path: [...path, key],
        atKey: true,
        expected: `no ${key}: ${spec.because}`,
        received: raw[key],
      });
    }
  }
  const entries = Object.entries(spec.suffixes) as [K, string][];
  const longest = entries.reduce((a, b) => (b[1].length > a[1].length ? b : a));
  if (name !== undefined && name.length > POLICY_NAME_MAX_LENGTH - longest[1].length) {
    findings.push({
      path: [...path, 'name'],
      expected: `at most ${POLICY_NAME_MAX_LENGTH - longest[1].length} characters, since ${spec.key} adds "${longest[1]}"`,
      received: name,
    });
  }
  const schedule = readField(raw, spec.key, path, { schema: spec.schema, expected: spec.expected }, findings);
  if (!schedule) return undefined;
  const days = parseDays(schedule.days);
  if (typeof days === 'string') return undefined;
  const parts = entries.flatMap(([time, suffix]) => {
    const at = schedule[time];
    return typeof at === 'string' ? [{ time, suffix, schedule: dailyCron(at, days) }] : [];
  });
  return { schedule, parts };
}

function sameTime(a: string, b: string): boolean {
  const [x, y] = [parseTimeOfDay(a), parseTimeOfDay(b)];
  return x !== undefined && y !== undefined && x.hour === y.hour && x.minute === y.minute;
}

function dayNumber(name: string | undefined): number | undefined {
  const index = (WEEKDAYS as readonly string[]).indexOf(name ?? '');
  return index === -1 ? undefined : index;
}
