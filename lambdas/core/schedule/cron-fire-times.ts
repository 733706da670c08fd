import { daysInMonth, matchesCronDay } from './cron-day-matcher';
import type { CronExpression } from './schedule-expression';
import type { ZoneClock } from './zone-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// A fall-back repeat is at most a few hours long; starting the walk this far back in wall-clock
// time finds the first occurrence of every wall time whose instant is at or after the bound.
const LOOK_BACK = 3 * HOUR;

/**
 * The instants at or after `fromMs` at which a cron expression fires in a zone, ascending, until
 * some time after `untilMs` (or the end of 2199). It walks matching years, months and days of the
 * local calendar, so a sparse expression costs days, not minutes.
 *
 * EventBridge Scheduler's DST rule: a wall-clock time that does not exist that day (spring
 * forward) is skipped; one that happens twice (fall back) fires once, at its first occurrence.
 * Mapping each matching wall time to its first instant keeps the order ascending.
 */
export function* cronFireTimes(
  cron: CronExpression,
  clock: ZoneClock,
  fromMs: number,
  untilMs = Infinity,
): Generator<number> {
  const startWall = clock.wallAt(fromMs) - LOOK_BACK;
  // Past the local day after `untilMs`, no wall time can map to an instant before it.
  const lastMidnight = untilMs === Infinity ? Infinity : clock.wallAt(untilMs) + 24 * HOUR;
  const start = new Date(Math.floor(startWall / MINUTE) * MINUTE);
  const startYear = start.getUTCFullYear();
  const startMonth = start.getUTCMonth() + 1;
  const startDay = start.getUTCDate();
  for (const year of cron.years) {
    if (year < startYear) continue;
    for (const month of cron.months) {
      if (year === startYear && month < startMonth) continue;
      const lastDay = daysInMonth(year, month);
      const firstDay = year === startYear && month === startMonth ? startDay : 1;
      if (Date.UTC(year, month - 1, firstDay) > lastMidnight) return;
      for (let day = firstDay; day <= lastDay; day++) {
        if (!matchesCronDay(cron, year, month, day)) continue;
        const midnight = Date.UTC(year, month - 1, day);
        if (midnight > lastMidnight) return;
        let toInstant: ((wallMs: number) => number | undefined) | undefined;
        for (const hour of cron.hours) {
          if (midnight + hour * HOUR + 59 * MINUTE < startWall) continue;
          for (const minute of cron.minutes) {
            const wall = midnight + hour * HOUR + minute * MINUTE;
            if (wall < startWall) continue;
            toInstant ??= clock.dayConverter(midnight);
            const instant = toInstant(wall);
            if (instant !== undefined && instant >= fromMs) yield instant;
          }
        }
      }
    }
  }
}
