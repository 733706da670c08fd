import {
  parseScheduleExpression,
  ScheduleExpressionError,
} from '../../../../lambdas/core/schedule/parse-schedule-expression';
import { DropletSchedulerError } from '../../../../lambdas/core/errors';

describe('parseScheduleExpression', () => {
  test.each([
    ['cron(0 2 * * ? *)', { minutes: [0], hours: [2], months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }],
    ['cron(0/15 * * * ? *)', { minutes: [0, 15, 30, 45] }],
    ['cron(*/20 * * * ? *)', { minutes: [0, 20, 40] }],
    ['cron(5-50/15 8-10,14 * * ? *)', { minutes: [5, 20, 35, 50], hours: [8, 9, 10, 14] }],
    ['cron(0 9 ? jan,Jul,DEC MON-FRI 2027-2028)', { months: [1, 7, 12], years: [2027, 2028] }],
    ['cron(0 9 ? 3/4 2,4 2030/50)', { months: [3, 7, 11], years: [2030, 2080, 2130, 2180] }],
  ])('given %s, when parsed, then the plain fields expand to their values', (expression, expected) => {
    // Act
    const parsed = parseScheduleExpression(expression);

    // Assess
    expect(parsed).toMatchObject({ kind: 'cron', expression, ...expected });
  });

  test.each([
    [
      'cron(0 2 * * ? *)',
      { kind: 'days', days: Array.from({ length: 31 }, (_, i) => i + 1) },
      { kind: 'unspecified' },
    ],
    ['cron(0 2 L * ? *)', { kind: 'last-day' }, { kind: 'unspecified' }],
    ['cron(0 2 LW * ? *)', { kind: 'last-weekday' }, { kind: 'unspecified' }],
    ['cron(0 2 15W * ? *)', { kind: 'nearest-weekday', day: 15 }, { kind: 'unspecified' }],
    ['cron(0 2 1/10 * ? *)', { kind: 'days', days: [1, 11, 21, 31] }, { kind: 'unspecified' }],
    ['cron(0 2 ? * MON *)', { kind: 'unspecified' }, { kind: 'days', days: [2] }],
    ['cron(0 2 ? * sun,7 *)', { kind: 'unspecified' }, { kind: 'days', days: [1, 7] }],
    ['cron(0 2 ? * L *)', { kind: 'unspecified' }, { kind: 'days', days: [7] }],
    ['cron(0 2 ? * 6L *)', { kind: 'unspecified' }, { kind: 'last-of-month', day: 6 }],
    ['cron(0 2 ? * FRIL *)', { kind: 'unspecified' }, { kind: 'last-of-month', day: 6 }],
    ['cron(0 2 ? * 2#1 *)', { kind: 'unspecified' }, { kind: 'nth-of-month', day: 2, nth: 1 }],
    ['cron(0 2 ? * tue#5 *)', { kind: 'unspecified' }, { kind: 'nth-of-month', day: 3, nth: 5 }],
  ])(
    'given %s, when parsed, then the day fields follow EventBridge (1 = SUN)',
    (expression, dayOfMonth, dayOfWeek) => {
      // Act
      const parsed = parseScheduleExpression(expression);

      // Assess
      expect(parsed).toMatchObject({ kind: 'cron', dayOfMonth, dayOfWeek });
    },
  );

  test.each([
    ['rate(1 minute)', 1, 'minutes', 60_000],
    ['rate(5 minutes)', 5, 'minutes', 300_000],
    ['rate(1 hour)', 1, 'hours', 3_600_000],
    ['rate(12 hours)', 12, 'hours', 43_200_000],
    ['rate(1 day)', 1, 'days', 86_400_000],
    ['rate(7 days)', 7, 'days', 604_800_000],
  ])('given %s, when parsed, then it is a rate of absolute time', (expression, value, unit, periodMs) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: 'rate', expression, value, unit, periodMs });
  });

  test('given an at() expression, when parsed, then it keeps the wall-clock fields', () => {
    expect(parseScheduleExpression(' at(2027-03-28T02:30:00) ')).toEqual({
      kind: 'at',
      expression: 'at(2027-03-28T02:30:00)',
      local: { year: 2027, month: 3, day: 28, hour: 2, minute: 30, second: 0 },
    });
  });

  test.each([
    ['cron(0 2 * * * *)', undefined, undefined, "exactly one of day-of-month and day-of-week set to '?'"],
    ['cron(0 2 ? * ? *)', undefined, undefined, "exactly one of day-of-month and day-of-week set to '?'"],
    ['cron(0 2 * * ?)', undefined, undefined, 'six fields separated by spaces (found 5)'],
    ['cron(0 0 2 * * ? *)', undefined, undefined, 'six fields separated by spaces (found 7)'],
    ['cron()', undefined, undefined, 'six fields separated by spaces (found 0)'],
    ['cron(60 2 * * ? *)', 'minutes', '60', 'minutes to be 0-59'],
    ['cron(0 24 * * ? *)', 'hours', '24', 'hours to be 0-23'],
    ['cron(0 2 32 * ? *)', 'day-of-month', '32', 'day-of-month to be 1-31'],
    ['cron(0 2 0 * ? *)', 'day-of-month', '0', 'day-of-month to be 1-31'],
    ['cron(0 2 * 13 ? *)', 'month', '13', 'month to be 1-12 or JAN-DEC'],
    ['cron(0 2 * JANUARY ? *)', 'month', 'JANUARY', 'month to be 1-12 or JAN-DEC'],
    ['cron(0 2 ? * 0 *)', 'day-of-week', '0', 'day-of-week to be 1-7 or SUN-SAT'],
    ['cron(0 2 ? * 8 *)', 'day-of-week', '8', 'day-of-week to be 1-7 or SUN-SAT'],
    ['cron(0 2 ? * MON/2 *)', 'day-of-week', 'MON/2', "day-of-week without '/' steps"],
    ['cron(0 2 ? * 2#6 *)', 'day-of-week', '2#6', 'day-of-week n#k with n 1-7 or SUN-SAT and k 1-5'],
    ['cron(0 2 ? * 3#1,6#3 *)', 'day-of-week', '3#1,6#3', 'on its own, not inside a list or range'],
    ['cron(0 2 ? * 8L *)', 'day-of-week', '8L', 'day-of-week nL with n 1-7 or SUN-SAT'],
    ['cron(0 2 32W * ? *)', 'day-of-month', '32W', 'day-of-month nW with n 1-31'],
    ['cron(0 2 1-5W * ? *)', 'day-of-month', '1-5W', 'L, LW, nW or ? on its own'],
    ['cron(0 2 L-3 * ? *)', 'day-of-month', 'L-3', 'L, LW, nW or ? on its own'],
    ['cron(0 2 * * ? 1969)', 'year', '1969', 'year to be 1970-2199'],
    ['cron(0 2 * * ? 2200)', 'year', '2200', 'year to be 1970-2199'],
    ['cron(30-10 2 * * ? *)', 'minutes', '30-10', 'minutes range to run from low to high within 0-59'],
    ['cron(0/0 2 * * ? *)', 'minutes', '0/0', 'minutes step to be 1-59'],
    ['cron(*/60 2 * * ? *)', 'minutes', '*/60', 'minutes step to be 1-59'],
    ['cron(0 0/24 * * ? *)', 'hours', '0/24', 'hours step to be 1-23'],
    ['cron(0/x 2 * * ? *)', 'minutes', '0/x', 'minutes step to be 1-59'],
    ['cron(0,,5 2 * * ? *)', 'minutes', '', 'minutes to be 0-59'],
    ['cron(? 2 * * ? *)', 'minutes', '?', 'minutes to be 0-59'],
    ['cron(1-2-3 2 * * ? *)', 'minutes', '1-2-3', 'minutes to be 0-59'],
    ['rate(0 minutes)', undefined, '0', 'rate value to be a positive whole number'],
    ['rate(-5 minutes)', undefined, '-5', 'rate value to be a positive whole number'],
    ['rate(1.5 hours)', undefined, '1.5', 'rate value to be a positive whole number'],
    ['rate(1 minutes)', undefined, 'minutes', "rate unit 'minute' (singular) for the value 1"],
    ['rate(5 hour)', undefined, 'hour', "rate unit 'hours' (plural) for a value other than 1"],
    ['rate(5 weeks)', undefined, 'weeks', 'rate unit minute, minutes, hour, hours, day or days'],
    ['rate(5)', undefined, undefined, 'rate(value unit)'],
    ['at(2027-02-29T10:00:00)', undefined, '2027-02-29', 'at() date to be a real calendar date'],
    ['at(2027-03-28T24:00:00)', undefined, '24:00:00', 'at() time to be hh:mm:ss'],
    ['at(2027-03-28 10:00:00)', undefined, undefined, 'at(yyyy-mm-ddThh:mm:ss)'],
    ['at(2027-03-28T10:00:00Z)', undefined, undefined, 'at(yyyy-mm-ddThh:mm:ss)'],
    ['0 2 * * ? *', undefined, undefined, 'an EventBridge Scheduler expression: cron(…), rate(…) or at(…)'],
    ['CRON(0 2 * * ? *)', undefined, undefined, 'an EventBridge Scheduler expression'],
  ])(
    'given %s, when parsed, then the error names field %s, value %s and expects %s',
    (expression, field, value, expected) => {
      // Act
      const act = () => parseScheduleExpression(expression);

      // Assess
      expect(act).toThrow(ScheduleExpressionError);
      let error: unknown;
      try {
        act();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DropletSchedulerError);
      expect(error).toMatchObject({ code: 'schedule_invalid', received: expression.trim(), field, value });
      const { message, expected: expectedText } = error as ScheduleExpressionError;
      expect(expectedText).toContain(expected);
      expect(message).toBe(
        `expected ${expectedText}, ${value === undefined ? 'got:' : `got '${value}' in:`} '${expression.trim()}'`,
      );
    },
  );

  test('given both day fields set, when parsed, then the message reads as one sentence ending with the whole expression', () => {
    expect(() => parseScheduleExpression('cron(0 2 * * * *)')).toThrow(
      "expected cron(minutes hours day-of-month month day-of-week year) with exactly one of day-of-month and day-of-week set to '?', got: 'cron(0 2 * * * *)'",
    );
  });
});
