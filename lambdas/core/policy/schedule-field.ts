import * as z from 'zod';
import { parseScheduleExpression, ScheduleExpressionError } from '../schedule/parse-schedule-expression';

/**
 * What is wrong with a schedule expression, phrased to follow "expected", or undefined when
 * EventBridge Scheduler would accept it.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  try {
    parseScheduleExpression(expression);
    return undefined;
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) {
      // Not expected from the parser; still reported as a problem with this field rather than a crash.
      return `an expression the schedule parser accepts (it failed with: ${error instanceof Error ? error.message : String(error)})`;
    }
    return error.value === undefined ? error.expected : `${error.expected} (at '${error.value}')`;
  }
}

/** A `cron(…)`, `rate(…)` or `at(…)` expression, checked by our EventBridge Scheduler parser. */
export const scheduleSchema = z.string().superRefine((expression, ctx) => {
  const problem = scheduleExpressionProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: `expected ${problem}` });
});
