import type { CronFieldSpec } from './cron-field-spec';
import { ScheduleExpressionError } from './schedule-expression-error';

/**
 * Parses the plain part of a cron field: `*`, values, names, lists, ranges and steps (`0/15`,
 * `*\/5`, `10-40/10`). Returns the matching values, ascending. Ranges must run from low to high:
 * EventBridge does not document wrap-around ranges such as `FRI-MON`, and refusing what AWS might
 * accept is safer than accepting what a deployment would then refuse.
 */
export function parseCronFieldValues(field: string, spec: CronFieldSpec, expression: string): number[] {
  const fail = (value: string, expected = `${spec.name} to be ${spec.allowed}`): never => {
    throw new ScheduleExpressionError({ received: expression, expected, field: spec.name, value });
  };
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range = '', step, ...extra] = item.split('/');
    if (item === '' || range === '' || extra.length > 0) fail(item);
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else {
      const [low = '', high, ...more] = range.split('-');
      if (more.length > 0) fail(item);
      from = parseCronValue(low, spec) ?? fail(low);
      to =
        high === undefined
          ? step === undefined
            ? from
            : spec.max
          : (parseCronValue(high, spec) ?? fail(high));
      if (to < from) fail(item, `${spec.name} range to run from low to high within ${spec.min}-${spec.max}`);
    }
    let increment = 1;
    if (step !== undefined) {
      if (!spec.steps) fail(item, `${spec.name} without '/' steps, as ${spec.allowed}`);
      increment = /^\d+$/.test(step) ? Number(step) : NaN;
      if (!(increment >= 1 && increment <= spec.maxStep))
        fail(item, `${spec.name} step to be 1-${spec.maxStep}`);
    }
    for (let value = from; value <= to; value += increment) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

/** One value of a field, as a number or (where the field has names) a name; undefined when invalid. */
export function parseCronValue(text: string, spec: CronFieldSpec): number | undefined {
  if (/^\d{1,4}$/.test(text)) {
    const value = Number(text);
    return value >= spec.min && value <= spec.max ? value : undefined;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? spec.min + index : undefined;
}
