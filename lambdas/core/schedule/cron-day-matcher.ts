import type { CronExpression } from './schedule-expression';

const SATURDAY = 7;
const SUNDAY = 1;

/** Days in a month (1-12) of a year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The day of the week in EventBridge's numbering: 1 = SUN … 7 = SAT. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/**
 * Whether a calendar date matches the expression's day-of-month and day-of-week fields (exactly
 * one of which is `?`). Month and year are checked by the caller.
 */
export function matchesCronDay(cron: CronExpression, year: number, month: number, day: number): boolean {
  const lastDay = daysInMonth(year, month);
  const rule = cron.dayOfMonth;
  switch (rule.kind) {
    case 'days':
      return rule.days.includes(day);
    case 'last-day':
      return day === lastDay;
    case 'last-weekday':
      return day === nearestWeekday(year, month, lastDay, lastDay);
    case 'nearest-weekday':
      // A day the month does not have (31W in April) matches nothing that month, like plain 31.
      return rule.day <= lastDay && day === nearestWeekday(year, month, rule.day, lastDay);
    case 'unspecified':
      break;
  }
  const weekday = weekdayOf(year, month, day);
  const byWeek = cron.dayOfWeek;
  switch (byWeek.kind) {
    case 'days':
      return byWeek.days.includes(weekday);
    case 'last-of-month':
      return weekday === byWeek.day && day + 7 > lastDay;
    case 'nth-of-month':
      return weekday === byWeek.day && Math.ceil(day / 7) === byWeek.nth;
    case 'unspecified':
      return false;
  }
}

/** The weekday (MON-FRI) nearest to `day` without leaving the month, as Quartz-style `W` defines it. */
function nearestWeekday(year: number, month: number, day: number, lastDay: number): number {
  const weekday = weekdayOf(year, month, day);
  if (weekday === SATURDAY) return day === 1 ? 3 : day - 1;
  if (weekday === SUNDAY) return day === lastDay ? day - 2 : day + 1;
  return day;
}
