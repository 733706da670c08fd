import { HOURS, MINUTES, MONTH, YEAR } from './cron-field-spec';
import { parseCronFieldValues } from './parse-cron-field-values';
import { parseDayOfMonth, parseDayOfWeek } from './parse-day-fields';
import type { CronExpression } from './schedule-expression';
import { ScheduleExpressionError } from './schedule-expression-error';

const SHAPE = 'cron(minutes hours day-of-month month day-of-week year)';

/** Parses the body of `cron(…)`; `expression` is the whole text, for messages. */
export function parseCronExpression(body: string, expression: string): CronExpression {
  const fields = body.trim().split(/\s+/);
  if (body.trim() === '' || fields.length !== 6) {
    throw new ScheduleExpressionError({
      received: expression,
      expected: `${SHAPE} with six fields separated by spaces (found ${body.trim() === '' ? 0 : fields.length})`,
    });
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const parsed: CronExpression = {
    kind: 'cron',
    expression,
    minutes: parseCronFieldValues(minutes, MINUTES, expression),
    hours: parseCronFieldValues(hours, HOURS, expression),
    dayOfMonth: parseDayOfMonth(dayOfMonth, expression),
    months: parseCronFieldValues(month, MONTH, expression),
    dayOfWeek: parseDayOfWeek(dayOfWeek, expression),
    years: parseCronFieldValues(year, YEAR, expression),
  };
  const unspecified =
    Number(parsed.dayOfMonth.kind === 'unspecified') + Number(parsed.dayOfWeek.kind === 'unspecified');
  if (unspecified !== 1) {
    throw new ScheduleExpressionError({
      received: expression,
      expected: `${SHAPE} with exactly one of day-of-month and day-of-week set to '?'`,
    });
  }
  return parsed;
}
