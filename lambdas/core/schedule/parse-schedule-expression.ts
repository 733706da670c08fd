import { parseAtExpression } from './parse-at-expression';
import { parseCronExpression } from './parse-cron-expression';
import { parseRateExpression } from './parse-rate-expression';
import type { ScheduleExpression } from './schedule-expression';
import { ScheduleExpressionError } from './schedule-expression-error';

export type {
  AtExpression,
  CronExpression,
  DayOfMonthRule,
  DayOfWeekRule,
  LocalDateTime,
  RateExpression,
  ScheduleExpression,
} from './schedule-expression';
export { ScheduleExpressionError } from './schedule-expression-error';

const WRAPPED = /^(cron|rate|at)\((.*)\)$/s;

/**
 * Parses an EventBridge Scheduler expression (`cron(…)`, `rate(…)` or `at(…)`) and checks it the
 * way EventBridge would, so that a bad policy fails at `validate` or `cdk synth`, not at deploy.
 * @throws ScheduleExpressionError naming the field, the value received and what was expected.
 */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const trimmed = expression.trim();
  const match = WRAPPED.exec(trimmed);
  if (!match) {
    throw new ScheduleExpressionError({
      received: trimmed,
      expected: 'an EventBridge Scheduler expression: cron(…), rate(…) or at(…), such as cron(0 2 * * ? *)',
    });
  }
  const [, kind, body = ''] = match;
  if (kind === 'cron') return parseCronExpression(body, trimmed);
  if (kind === 'rate') return parseRateExpression(body, trimmed);
  return parseAtExpression(body, trimmed);
}
