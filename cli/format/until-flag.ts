import { zoneClock } from '../../lambdas/core/schedule/zone-clock';
import { UsageError } from '../usage-error';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d{1,5})([mhdw])$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The furthest ahead a snooze may end: inside the ledger's retention, so it never outlives its own item. */
export const MAX_SNOOZE_DAYS = 365;

/** What `--until` accepts, for help and error messages. */
export function untilExpected(timezone: string): string {
  return (
    `a time in the future: 22:00 (the next 22:00) or 2026-11-27T22:00 in the policy's time zone (${timezone}), ` +
    'an ISO 8601 time with an offset (2026-11-27T21:00Z), or a duration from now such as 90m, 2h or 3d'
  );
}

/**
 * Reads `snooze --until`: a time without an offset is read in the policy's time zone (so that
 * "until 22:00" means 22:00 where the policy runs, whatever the machine's zone), one with an offset
 * or `Z` as written, and a duration (`2h`) from `now`. The result is in the future, at most
 * `MAX_SNOOZE_DAYS` ahead, and a local time that the zone skips (a spring-forward gap) is refused.
 * @throws UsageError naming the flag, the value and what was expected.
 */
export function parseUntilFlag(value: string, options: { timezone: string; now: Date }): Date {
  const { timezone, now } = options;
  const text = value.trim();
  const instant = readUntil(text, timezone, now, value);
  if (instant === undefined || Number.isNaN(instant.getTime()))
    throw new UsageError('--until', value, untilExpected(timezone));
  if (instant.getTime() <= now.getTime())
    throw new UsageError(
      '--until',
      value,
      `a time in the future (${instant.toISOString()} has passed; it is ${now.toISOString()} now)`,
    );
  if (instant.getTime() > now.getTime() + MAX_SNOOZE_DAYS * UNIT_MS.d!)
    throw new UsageError('--until', value, `a time at most ${MAX_SNOOZE_DAYS} days ahead`);
  return instant;
}

function readUntil(text: string, timezone: string, now: Date, value: string): Date | undefined {
  const duration = DURATION.exec(text);
  if (duration) {
    // Up to the whole minute: ticks are whole minutes, so the skipped ticks are the same, and it reads better.
    const end = now.getTime() + Number(duration[1]) * UNIT_MS[duration[2]!]!;
    return new Date(Math.ceil(end / UNIT_MS.m!) * UNIT_MS.m!);
  }
  if (WITH_OFFSET.test(text)) {
    const instant = new Date(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    return Number.isNaN(instant.getTime()) ? undefined : instant;
  }
  const clock = zoneClock(timezone);
  const time = CLOCK.exec(text);
  if (time) {
    const [hour, minute] = [Number(time[1]), Number(time[2])];
    if (hour > 23 || minute > 59) return undefined;
    // The next time the policy's clock reads hh:mm: today's, or tomorrow's once today's has passed.
    const today = new Date(clock.wallAt(now.getTime()));
    for (let day = 0; day <= 2; day += 1) {
      const wall = Date.UTC(
        today.getUTCFullYear(),
        today.getUTCMonth(),
        today.getUTCDate() + day,
        hour,
        minute,
      );
      const instant = clock.firstInstantOf(wall);
      if (instant !== undefined && instant > now.getTime()) return new Date(instant);
    }
    return undefined;
  }
  const local = LOCAL.exec(text);
  if (!local) return undefined;
  const [year, month, day, hour, minute, second] = local
    .slice(1)
    .map((part) => Number(part ?? 0)) as number[];
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  const check = new Date(wall);
  // Date.UTC rolls 02-30 over into March, and 25:00 into the next day: refuse those instead.
  if (
    check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute
  )
    return undefined;
  const instant = clock.firstInstantOf(wall);
  if (instant === undefined)
    throw new UsageError(
      '--until',
      value,
      `a local time that exists in ${timezone} (its clocks skip it when daylight saving time starts)`,
    );
  return new Date(instant);
}
