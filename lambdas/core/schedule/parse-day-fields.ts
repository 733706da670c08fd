import { DAY_OF_MONTH, DAY_OF_WEEK } from './cron-field-spec';
import { parseCronFieldValues, parseCronValue } from './parse-cron-field-values';
import type { DayOfMonthRule, DayOfWeekRule } from './schedule-expression';
import { ScheduleExpressionError } from './schedule-expression-error';

/** Parses the day-of-month field: `?`, `L`, `LW`, `15W`, or values, lists, ranges and steps. */
export function parseDayOfMonth(field: string, expression: string): DayOfMonthRule {
  const upper = field.toUpperCase();
  if (upper === '?') return { kind: 'unspecified' };
  if (upper === 'L') return { kind: 'last-day' };
  if (upper === 'LW') return { kind: 'last-weekday' };
  const nearest = /^(\d{1,2})W$/.exec(upper);
  if (nearest) {
    const day = parseCronValue(nearest[1] ?? '', DAY_OF_MONTH);
    if (day === undefined) fail(field, 'day-of-month', 'day-of-month nW with n 1-31', expression);
    return { kind: 'nearest-weekday', day: day! };
  }
  if (/[LW?]/.test(upper)) {
    fail(
      field,
      'day-of-month',
      'day-of-month L, LW, nW or ? on its own, not inside a list or range',
      expression,
    );
  }
  return { kind: 'days', days: parseCronFieldValues(field, DAY_OF_MONTH, expression) };
}

/** Parses the day-of-week field (1 = SUN): `?`, `L`, `6L`, `2#1`, or values, names, lists and ranges. */
export function parseDayOfWeek(field: string, expression: string): DayOfWeekRule {
  const upper = field.toUpperCase();
  if (upper === '?') return { kind: 'unspecified' };
  if (upper === 'L') return { kind: 'days', days: [7] };
  const last = /^([0-9A-Z]+)L$/.exec(upper);
  if (last) {
    const day = parseCronValue(last[1] ?? '', DAY_OF_WEEK);
    if (day === undefined) fail(field, 'day-of-week', 'day-of-week nL with n 1-7 or SUN-SAT', expression);
    return { kind: 'last-of-month', day: day! };
  }
  const nth = /^([0-9A-Z]+)#(\d+)$/.exec(upper);
  if (nth) {
    const day = parseCronValue(nth[1] ?? '', DAY_OF_WEEK);
    const n = Number(nth[2]);
    if (day === undefined || !(n >= 1 && n <= 5)) {
      fail(field, 'day-of-week', 'day-of-week n#k with n 1-7 or SUN-SAT and k 1-5', expression);
    }
    return { kind: 'nth-of-month', day: day!, nth: n };
  }
  if (/[L#?]/.test(upper)) {
    // EventBridge documents that a field with '#' holds one expression only ("3#1,6#3" is invalid).
    fail(
      field,
      'day-of-week',
      'day-of-week L, nL, n#k or ? on its own, not inside a list or range',
      expression,
    );
  }
  return { kind: 'days', days: parseCronFieldValues(field, DAY_OF_WEEK, expression) };
}

function fail(
  value: string,
  field: 'day-of-month' | 'day-of-week',
  expected: string,
  expression: string,
): never {
  throw new ScheduleExpressionError({ received: expression, expected, field, value });
}
