import type { AtExpression } from './schedule-expression';
import { ScheduleExpressionError } from './schedule-expression-error';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

/** Parses the body of `at(yyyy-mm-ddThh:mm:ss)`: a wall-clock time in the schedule's time zone. */
export function parseAtExpression(body: string, expression: string): AtExpression {
  const match = SHAPE.exec(body.trim());
  if (!match) {
    throw new ScheduleExpressionError({
      received: expression,
      expected: 'at(yyyy-mm-ddThh:mm:ss), e.g. at(2027-03-28T02:30:00), with no zone suffix',
    });
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDate =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  if (!realDate || year < 1970 || year > 2199) {
    throw new ScheduleExpressionError({
      received: expression,
      expected: 'at() date to be a real calendar date in 1970-2199',
      value: body.trim().slice(0, 10),
    });
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new ScheduleExpressionError({
      received: expression,
      expected: 'at() time to be hh:mm:ss within 00:00:00-23:59:59',
      value: body.trim().slice(11),
    });
  }
  return { kind: 'at', expression, local: { year, month, day, hour, minute, second } };
}
