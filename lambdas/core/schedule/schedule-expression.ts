/**
 * The parsed forms of EventBridge Scheduler's three expression types. Values are in EventBridge's
 * own numbering (months 1-12, day-of-week 1 = SUN … 7 = SAT), so that what we evaluate is what the
 * deployed schedule evaluates.
 */
export type ScheduleExpression = CronExpression | RateExpression | AtExpression;

/** `cron(minutes hours day-of-month month day-of-week year)`. */
export interface CronExpression {
  readonly kind: 'cron';
  /** The expression as written, trimmed. */
  readonly expression: string;
  /** Matching minutes, 0-59, ascending. */
  readonly minutes: readonly number[];
  /** Matching hours, 0-23, ascending. */
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonthRule;
  /** Matching months, 1-12, ascending. */
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeekRule;
  /** Matching years, 1970-2199, ascending. */
  readonly years: readonly number[];
}

/** The day-of-month field. Exactly one of it and the day-of-week field is `unspecified` (`?`). */
export type DayOfMonthRule =
  /** `?`: the day-of-week field decides. */
  | { readonly kind: 'unspecified' }
  /** `*`, a value, a list, a range or a step: these days, 1-31, ascending. */
  | { readonly kind: 'days'; readonly days: readonly number[] }
  /** `L`: the last day of the month. */
  | { readonly kind: 'last-day' }
  /** `LW`: the last weekday (MON-FRI) of the month. */
  | { readonly kind: 'last-weekday' }
  /** `15W`: the weekday nearest to that day, without leaving the month. */
  | { readonly kind: 'nearest-weekday'; readonly day: number };

/** The day-of-week field, 1 = SUN … 7 = SAT. */
export type DayOfWeekRule =
  /** `?`: the day-of-month field decides. */
  | { readonly kind: 'unspecified' }
  /** `*`, a value, a list or a range (`L` alone is 7, SAT): these weekdays, ascending. */
  | { readonly kind: 'days'; readonly days: readonly number[] }
  /** `6L`: the last such weekday of the month (6L = the last Friday). */
  | { readonly kind: 'last-of-month'; readonly day: number }
  /** `2#1`: the nth such weekday of the month (2#1 = the first Monday), nth 1-5. */
  | { readonly kind: 'nth-of-month'; readonly day: number; readonly nth: number };

/** `rate(value unit)`: every `value` units of absolute time from the schedule's start. */
export interface RateExpression {
  readonly kind: 'rate';
  /** The expression as written, trimmed. */
  readonly expression: string;
  /** A positive integer. */
  readonly value: number;
  /** The unit, normalised to its plural. */
  readonly unit: 'minutes' | 'hours' | 'days';
  /**
   * The period in milliseconds. A day is always 24 hours, also across DST changes, as
   * EventBridge Scheduler counts it.
   */
  readonly periodMs: number;
}

/** A local wall-clock time, without a zone. */
export interface LocalDateTime {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
  /** 0-23. */
  readonly hour: number;
  /** 0-59. */
  readonly minute: number;
  /** 0-59. */
  readonly second: number;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: once, at this wall-clock time in the schedule's time zone. */
export interface AtExpression {
  readonly kind: 'at';
  /** The expression as written, trimmed. */
  readonly expression: string;
  readonly local: LocalDateTime;
}
