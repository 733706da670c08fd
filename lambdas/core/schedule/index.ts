export { parseScheduleExpression } from './parse-schedule-expression';
export type {
  AtExpression,
  CronExpression,
  DayOfMonthRule,
  DayOfWeekRule,
  LocalDateTime,
  RateExpression,
  ScheduleExpression,
} from './schedule-expression';
export {
  ScheduleExpressionError,
  type CronFieldName,
  type ScheduleExpressionErrorDetails,
} from './schedule-expression-error';
export {
  fireTimes,
  isFireTime,
  nextFireTime,
  nextFireTimes,
  previousFireTime,
  type FireTimeQuery,
  type ScheduleContext,
} from './fire-times';
