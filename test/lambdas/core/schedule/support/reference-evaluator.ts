import type { CronExpression } from '../../../../../lambdas/core/schedule';

const MINUTE = 60_000;

/** A wall-clock reading, straight from `Intl`. */
export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a zone, read field by field from `Intl`. */
export function wallClockAt(timezone: string, instantMs: number): WallClock {
  let format = formats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(timezone, format);
  }
  // "M/D/YYYY, HH:MM" in en-US; format() is several times faster than formatToParts().
  const [month, day, year, hour, minute] = format.format(instantMs).split(/\D+/).map(Number) as number[];
  return { year: year!, month: month!, day: day!, hour: hour!, minute: minute! };
}

/**
 * The slow, obviously correct evaluator the fast one is tested against: it walks every minute
 * from just after `fromMs` to before `toMs` in UTC, reads the wall clock in the zone, and keeps the
 * minutes whose wall clock matches every field and was not already shown by an earlier instant
 * (the repeated hour of a fall-back night fires once). Wall times that do not exist are never
 * shown by the clock, so the spring-forward gap is skipped by construction.
 */
export function referenceFireTimes(
  cron: CronExpression,
  timezone: string,
  fromMs: number,
  toMs: number,
): number[] {
  const fires: number[] = [];
  // Remembering each date's verdict only saves time; the verdict itself is computed plainly.
  const dayVerdicts = new Map<string, boolean>();
  const dayMatches = (year: number, month: number, day: number) => {
    const key = `${year}-${month}-${day}`;
    let verdict = dayVerdicts.get(key);
    if (verdict === undefined) {
      verdict = matchesDay(cron, year, month, day);
      dayVerdicts.set(key, verdict);
    }
    return verdict;
  };
  for (let t = Math.floor(fromMs / MINUTE) * MINUTE + MINUTE; t < toMs; t += MINUTE) {
    const wall = wallClockAt(timezone, t);
    if (matchesWallClock(cron, wall, dayMatches) && !shownEarlier(timezone, t, wall)) fires.push(t);
  }
  return fires;
}

/** Whether every field of the expression matches this wall-clock reading. */
export function matchesWallClock(
  cron: CronExpression,
  wall: WallClock,
  dayMatches = (year: number, month: number, day: number) => matchesDay(cron, year, month, day),
): boolean {
  return (
    cron.minutes.includes(wall.minute) &&
    cron.hours.includes(wall.hour) &&
    cron.months.includes(wall.month) &&
    cron.years.includes(wall.year) &&
    dayMatches(wall.year, wall.month, wall.day)
  );
}

function matchesDay(cron: CronExpression, year: number, month: number, day: number): boolean {
  const monthDays = daysOf(year, month);
  const dom = cron.dayOfMonth;
  if (dom.kind === 'days') return dom.days.includes(day);
  if (dom.kind === 'last-day') return day === monthDays.at(-1);
  if (dom.kind === 'last-weekday') return day === monthDays.filter((d) => isWeekday(year, month, d)).at(-1);
  if (dom.kind === 'nearest-weekday') {
    if (!monthDays.includes(dom.day)) return false;
    const weekdays = monthDays.filter((d) => isWeekday(year, month, d));
    const nearest = weekdays.reduce((best, d) =>
      Math.abs(d - dom.day) < Math.abs(best - dom.day) ? d : best,
    );
    return day === nearest;
  }
  const dow = cron.dayOfWeek;
  const weekday = weekdayOf(year, month, day);
  if (dow.kind === 'days') return dow.days.includes(weekday);
  const sameWeekday = monthDays.filter((d) => weekdayOf(year, month, d) === weekday);
  if (dow.kind === 'last-of-month') return weekday === dow.day && day === sameWeekday.at(-1);
  if (dow.kind === 'nth-of-month') return weekday === dow.day && sameWeekday.indexOf(day) + 1 === dow.nth;
  return false;
}

/** Whether an earlier instant (within the longest DST shift, three hours) showed the same wall clock. */
function shownEarlier(timezone: string, t: number, wall: WallClock): boolean {
  // Shortcut: if the clock advanced exactly three hours over the last three hours, it did not go back.
  const before = wallClockAt(timezone, t - 180 * MINUTE);
  if (asNumber(wall) - asNumber(before) === 180 * MINUTE) return false;
  for (let earlier = t - MINUTE; earlier >= t - 180 * MINUTE; earlier -= MINUTE) {
    const seen = wallClockAt(timezone, earlier);
    if (
      seen.year === wall.year &&
      seen.month === wall.month &&
      seen.day === wall.day &&
      seen.hour === wall.hour &&
      seen.minute === wall.minute
    ) {
      return true;
    }
  }
  return false;
}

function asNumber(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

function daysOf(year: number, month: number): number[] {
  const days: number[] = [];
  for (let d = 1; new Date(Date.UTC(year, month - 1, d)).getUTCMonth() === month - 1; d++) days.push(d);
  return days;
}

/** 1 = SUN … 7 = SAT. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWeekday(year: number, month: number, day: number): boolean {
  const weekday = weekdayOf(year, month, day);
  return weekday >= 2 && weekday <= 6;
}
