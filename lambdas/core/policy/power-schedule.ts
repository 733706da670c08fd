import * as z from 'zod';
import { WEEKDAYS } from '../actions/backup-policy';

/**
 * Office hours in one line: `{ on: "07:00", off: "20:00", days: MON-FRI }` expands into two
 * policies, `<name>-on` (`power_on` at `on`) and `<name>-off` (`shutdown` at `off`, with a
 * `power_off` fallback), each a cron in the policy's time zone. Either time may be left out.
 * Note that a powered-off droplet is still billed: this does not save money by itself.
 */
export interface PowerSchedule {
  /** Local time `HH:MM` to power on. */
  readonly on?: string;
  /** Local time `HH:MM` to shut down. */
  readonly off?: string;
  /** Days of the week: `MON-FRI`, `SAT,SUN`, or a list such as `[MON, WED-FRI]`; ranges may wrap (`FRI-MON`). */
  readonly days: string | readonly string[];
}

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
export function powerCron(time: string, days: readonly number[]): string {
  const parsed = parseTimeOfDay(time);
  if (!parsed) throw new RangeError(`not a time of day: ${time}`);
  return `cron(${parsed.minute} ${parsed.hour} ? * ${dayOfWeekField(days)} *)`;
}

const timeOfDaySchema = z.string().refine((text) => parseTimeOfDay(text) !== undefined, {
  message: 'expected a time of day HH:MM, such as 07:00',
});

export const powerScheduleSchema = z
  .object({
    on: timeOfDaySchema.optional(),
    off: timeOfDaySchema.optional(),
    days: z.union([z.string(), z.array(z.string()).min(1)], {
      message: 'expected days such as MON-FRI or [SAT, SUN]',
    }),
  })
  .strict()
  .superRefine((schedule, ctx) => {
    if (schedule.on === undefined && schedule.off === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected at least one of on or off' });
    } else if (
      schedule.on !== undefined &&
      schedule.off !== undefined &&
      sameTime(schedule.on, schedule.off)
    ) {
      ctx.addIssue({ code: 'custom', path: ['off'], message: 'expected a different time from on' });
    }
    const days = parseDays(schedule.days);
    if (typeof days === 'string')
      ctx.addIssue({ code: 'custom', path: ['days'], message: `expected ${days}` });
  }) satisfies z.ZodType<PowerSchedule>;

function sameTime(a: string, b: string): boolean {
  const [x, y] = [parseTimeOfDay(a), parseTimeOfDay(b)];
  return x !== undefined && y !== undefined && x.hour === y.hour && x.minute === y.minute;
}

function dayNumber(name: string | undefined): number | undefined {
  const index = (WEEKDAYS as readonly string[]).indexOf(name ?? '');
  return index === -1 ? undefined : index;
}
