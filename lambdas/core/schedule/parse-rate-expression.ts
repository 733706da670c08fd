import type { RateExpression } from './schedule-expression';
import { ScheduleExpressionError } from './schedule-expression-error';

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const SINGULAR = { minute: 'minutes', hour: 'hours', day: 'days' } as const;

/**
 * Parses the body of `rate(…)`. Like EventBridge, the unit is singular exactly when the value is 1:
 * `rate(1 hour)` and `rate(5 hours)`, never `rate(1 hours)` or `rate(5 hour)`.
 */
export function parseRateExpression(body: string, expression: string): RateExpression {
  const fail = (expected: string, value?: string): never => {
    throw new ScheduleExpressionError({ received: expression, expected, value });
  };
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 2) fail('rate(value unit), e.g. rate(5 minutes) or rate(1 day)');
  const [valueText = '', unitText = ''] = parts;
  const value = /^[1-9]\d{0,8}$/.test(valueText) ? Number(valueText) : NaN;
  if (Number.isNaN(value)) fail('rate value to be a positive whole number', valueText);
  if (unitText in SINGULAR) {
    if (value !== 1)
      fail(
        `rate unit '${SINGULAR[unitText as keyof typeof SINGULAR]}' (plural) for a value other than 1`,
        unitText,
      );
    return rate(expression, value, SINGULAR[unitText as keyof typeof SINGULAR]);
  }
  if (unitText in UNIT_MS) {
    if (value === 1) fail(`rate unit '${unitText.slice(0, -1)}' (singular) for the value 1`, unitText);
    return rate(expression, value, unitText as keyof typeof UNIT_MS);
  }
  return fail('rate unit minute, minutes, hour, hours, day or days', unitText);
}

function rate(expression: string, value: number, unit: keyof typeof UNIT_MS): RateExpression {
  return { kind: 'rate', expression, value, unit, periodMs: value * UNIT_MS[unit] };
}
