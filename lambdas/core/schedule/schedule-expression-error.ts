import { DropletSchedulerError } from '../errors/droplet-scheduler-error';

/** Which part of a `cron(…)` expression a problem is in. */
export type CronFieldName = 'minutes' | 'hours' | 'day-of-month' | 'month' | 'day-of-week' | 'year';

export interface ScheduleExpressionErrorDetails {
  /** The whole expression as the user wrote it. */
  readonly received: string;
  /**
   * What was expected, phrased to follow the word "expected", e.g.
   * `day-of-week 1-7 or SUN-SAT`.
   */
  readonly expected: string;
  /** The cron field at fault, when the problem is inside one field. */
  readonly field?: CronFieldName;
  /** The offending part of the field (or of a rate/at expression), when narrower than the whole. */
  readonly value?: string;
}

/**
 * A schedule expression that EventBridge Scheduler would refuse. The message names the field, the
 * value received and what was expected, so that `validate`, `cdk synth` and the local runner can
 * print it as is.
 */
export class ScheduleExpressionError extends DropletSchedulerError {
  override name = 'ScheduleExpressionError' as const;

  /** The whole expression as received. */
  readonly received: string;
  /** What was expected, phrased to follow the word "expected". */
  readonly expected: string;
  /** The cron field at fault, if any. */
  readonly field?: CronFieldName;
  /** The offending part of the expression, if narrower than the whole. */
  readonly value?: string;

  constructor(details: ScheduleExpressionErrorDetails) {
    const got =
      details.value === undefined
        ? `got: '${details.received}'`
        : `got '${details.value}' in: '${details.received}'`;
    super('schedule_invalid', `expected ${details.expected}, ${got}`);
    this.received = details.received;
    this.expected = details.expected;
    this.field = details.field;
    this.value = details.value;
  }
}
