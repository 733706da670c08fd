import { ConfigurationError } from '../errors/configuration-error';
import { cronFireTimes } from './cron-fire-times';
import { parseScheduleExpression } from './parse-schedule-expression';
import type { AtExpression, RateExpression, ScheduleExpression } from './schedule-expression';
import { type ZoneClock, zoneClock } from './zone-clock';

const MINUTE = 60_000;
// A day before 1970-01-01 UTC: the first wall-clock minute of 1970 anywhere on Earth is after it.
const EARLIEST = -24 * 60 * MINUTE;

/** Where and within which bounds a schedule is evaluated, as on an EventBridge schedule. */
export interface ScheduleContext {
  /** The IANA time zone the expression is read in, e.g. `Europe/Berlin`. */
  readonly timezone: string;
  /**
   * The schedule's StartDate: no fire before it (a fire exactly at it counts). A `rate()` schedule
   * fires first at its StartDate. Ignored by `at()`, as EventBridge ignores it for one-time schedules.
   * @default no lower bound
   */
  readonly startDate?: Date;
  /**
   * The schedule's EndDate: no fire at or after it. Ignored by `at()`, as by EventBridge.
   * @default no upper bound
   */
  readonly endDate?: Date;
  /**
   * When a `rate()` schedule without a StartDate was created: EventBridge starts such a schedule
   * at once, so it fires at `createdAt` and every period after. Only read by `rate()`.
   * @default the `from` instant of the query
   */
  readonly createdAt?: Date;
}

/** A query for fire times after an instant. */
export interface FireTimeQuery extends ScheduleContext {
  /** Fire times strictly after this instant are returned (a fire exactly at `from` is not). */
  readonly from: Date;
}

/**
 * The instants at which a schedule fires, strictly after `from`, ascending, lazily (a `cron()`
 * without bounds yields until the year 2199). Precision is EventBridge's: whole minutes for
 * `cron()` and `rate()`; `at()` fires at the second it names.
 *
 * DST follows EventBridge Scheduler: a wall-clock time that does not exist (spring forward) is
 * skipped that day; a wall-clock time that happens twice (fall back) fires once, at its first
 * occurrence. `rate()` counts absolute time (a day is 24 hours) and ignores the zone.
 * @throws ScheduleExpressionError when the expression is invalid.
 * @throws ConfigurationError when the time zone is unknown.
 */
export function* fireTimes(expression: string | ScheduleExpression, query: FireTimeQuery): Generator<Date> {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  const clock = zoneClock(query.timezone);
  const after = query.from.getTime();
  if (Number.isNaN(after))
    throw new ConfigurationError(`expected from to be a valid Date, got: '${String(query.from)}'`);
  if (parsed.kind === 'at') {
    const instant = atInstant(parsed, clock);
    if (instant !== undefined && instant > after) yield new Date(instant);
    return;
  }
  const lowest = Math.max(after + 1, query.startDate?.getTime() ?? -Infinity);
  const end = query.endDate?.getTime() ?? Infinity;
  const instants =
    parsed.kind === 'cron' ? cronFireTimes(parsed, clock, lowest, end) : rateFireTimes(parsed, query, lowest);
  for (const instant of instants) {
    if (instant >= end) return;
    yield new Date(instant);
  }
}

/** The next `count` fire times strictly after `from` (fewer when the schedule ends first). */
export function nextFireTimes(
  expression: string | ScheduleExpression,
  query: FireTimeQuery & { readonly count: number },
): Date[] {
  const result: Date[] = [];
  if (query.count <= 0) return result;
  for (const instant of fireTimes(expression, query)) {
    result.push(instant);
    if (result.length >= query.count) break;
  }
  return result;
}

/** The first fire time strictly after `from`, or undefined when the schedule never fires again. */
export function nextFireTime(
  expression: string | ScheduleExpression,
  query: FireTimeQuery,
): Date | undefined {
  return fireTimes(expression, query).next().value ?? undefined;
}

/**
 * The last fire time strictly before `before`, or undefined when there is none since 1970. The
 * local runner uses it to find a tick it missed while it was not running. A `rate()` schedule
 * needs its `startDate` or `createdAt` here, since it has no fire times of its own before those.
 */
export function previousFireTime(
  expression: string | ScheduleExpression,
  query: ScheduleContext & { readonly before: Date },
): Date | undefined {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  if (parsed.kind === 'at') {
    const fire = nextFireTime(parsed, { ...query, from: new Date(EARLIEST) });
    return fire && fire < query.before ? fire : undefined;
  }
  const before = Math.min(query.before.getTime(), query.endDate?.getTime() ?? Infinity);
  if (parsed.kind === 'rate') return previousRateFireTime(parsed, query, before);
  // Look back over growing windows: dense schedules are found in the first, sparse ones in a few.
  for (let span = 60 * MINUTE; ; span *= 8) {
    const from = before - span;
    let last: Date | undefined;
    for (const instant of fireTimes(parsed, {
      ...query,
      from: new Date(from - 1),
      endDate: new Date(before),
    })) {
      last = instant;
    }
    if (last !== undefined) return last;
    if (from < EARLIEST) return undefined;
  }
}

/**
 * Whether the schedule fires exactly at this instant. A `rate()` schedule needs its `startDate`
 * or `createdAt` here, else it is taken to fire never.
 */
export function isFireTime(
  expression: string | ScheduleExpression,
  instant: Date,
  context: ScheduleContext,
): boolean {
  const parsed = typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  if (parsed.kind === 'rate' && context.startDate === undefined && context.createdAt === undefined)
    return false;
  const at = instant.getTime();
  const endDate = new Date(Math.min(at + 1, context.endDate?.getTime() ?? Infinity));
  const next = nextFireTime(parsed, { ...context, from: new Date(at - 1), endDate });
  return next?.getTime() === at;
}

function* rateFireTimes(rate: RateExpression, query: FireTimeQuery, lowest: number): Generator<number> {
  const started = query.startDate ?? query.createdAt ?? query.from;
  // EventBridge's precision is a minute; report whole minutes, never before the start.
  const anchor = Math.ceil(started.getTime() / MINUTE) * MINUTE;
  const skipped = lowest <= anchor ? 0 : Math.ceil((lowest - anchor) / rate.periodMs);
  for (let instant = anchor + skipped * rate.periodMs; ; instant += rate.periodMs) yield instant;
}

function previousRateFireTime(
  rate: RateExpression,
  context: ScheduleContext,
  before: number,
): Date | undefined {
  const started = context.startDate ?? context.createdAt;
  if (started === undefined) return undefined;
  const anchor = Math.ceil(started.getTime() / MINUTE) * MINUTE;
  if (anchor >= before) return undefined;
  return new Date(anchor + Math.floor((before - 1 - anchor) / rate.periodMs) * rate.periodMs);
}

function atInstant(at: AtExpression, clock: ZoneClock): number | undefined {
  const { year, month, day, hour, minute, second } = at.local;
  return clock.firstInstantOf(Date.UTC(year, month - 1, day, hour, minute, second));
}
