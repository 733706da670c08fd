import type { CronFieldName } from './schedule-expression-error';

/** The allowed values of one cron field, as EventBridge documents them. */
export interface CronFieldSpec {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  /** Names for the values from `min` upwards (JAN = 1, SUN = 1), matched case-insensitively. */
  readonly names?: readonly string[];
  /** Whether `/` steps are allowed (EventBridge does not document them for day-of-week). */
  readonly steps: boolean;
  /** The largest step: EventBridge refuses `*\/60` in minutes, as Quartz refuses steps past a field's span. */
  readonly maxStep: number;
  /** The allowed values and wildcards, phrased for "expected <name> to be …". */
  readonly allowed: string;
}

export const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
export const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const MINUTES: CronFieldSpec = {
  name: 'minutes',
  min: 0,
  max: 59,
  steps: true,
  maxStep: 59,
  allowed: '0-59 (with , - * /)',
};
export const HOURS: CronFieldSpec = {
  name: 'hours',
  min: 0,
  max: 23,
  steps: true,
  maxStep: 23,
  allowed: '0-23 (with , - * /)',
};
export const DAY_OF_MONTH: CronFieldSpec = {
  name: 'day-of-month',
  min: 1,
  max: 31,
  steps: true,
  maxStep: 31,
  allowed: '1-31 (with , - * / ? L W, e.g. 15, 1-15, 1/7, L, LW, 15W)',
};
export const MONTH: CronFieldSpec = {
  name: 'month',
  min: 1,
  max: 12,
  names: MONTH_NAMES,
  steps: true,
  maxStep: 12,
  allowed: '1-12 or JAN-DEC (with , - * /)',
};
export const DAY_OF_WEEK: CronFieldSpec = {
  name: 'day-of-week',
  min: 1,
  max: 7,
  names: WEEKDAY_NAMES,
  steps: false,
  maxStep: 0,
  allowed: '1-7 or SUN-SAT, 1 = SUN (with , - * ? L #, e.g. MON-FRI, 6L, 2#1)',
};
export const YEAR: CronFieldSpec = {
  name: 'year',
  min: 1970,
  max: 2199,
  steps: true,
  maxStep: 229,
  allowed: '1970-2199 (with , - * /)',
};
