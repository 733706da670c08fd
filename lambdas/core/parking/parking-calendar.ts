import type { Policy } from '../policy/policy';
import { fireTimes } from '../schedule';
import { calendarDateIn } from '../use-cases/calendar-date-in';
import { overlapMs, utcMonths, type BilledSpan } from './droplet-billing';

/** What of a policy decides when it acts: its schedule, zone, dates and skip dates. */
export type ScheduledPolicy = Pick<
  Policy,
  'schedule' | 'timezone' | 'startDate' | 'endDate' | 'skipDates' | 'enabled'
>;

/** A tick of the park or the unpark policy. */
export interface ParkingMove {
  readonly at: number;
  readonly move: 'park' | 'unpark';
}

/**
 * The ticks of a park policy and its unpark twin over whole UTC calendar months, as the project's
 * schedule evaluator fires them (zone, DST, start and end dates); ticks on a skip date do nothing
 * and are left out, as are all ticks of a disabled policy.
 */
export interface ParkingCalendar {
  /** The first instant of the first month the figures are for. */
  readonly from: number;
  /** The first instant after the last month. */
  readonly to: number;
  /**
   * Where the walk over the ticks starts, some weeks before `from`, so that the first month opens
   * in the state the schedule leaves it in. There the droplet is taken to be running, with the
   * snapshots `keepSnapshots` keeps already kept (the steady state).
   */
  readonly walkFrom: number;
  readonly moves: readonly ParkingMove[];
}

const DAY = 86_400_000;
/** Long enough for a weekly schedule to have parked or unparked before the first month. */
const WARM_UP_MS = 35 * DAY;

/**
 * The calendar of `months` whole UTC months from the first month that starts at or after `from`.
 * @param unpark the unpark twin; absent or disabled, a parked droplet stays parked.
 */
export function parkingCalendar(
  park: ScheduledPolicy,
  unpark: ScheduledPolicy | undefined,
  options: { readonly from: Date; readonly months?: number },
): ParkingCalendar {
  const at = options.from.getTime();
  const date = new Date(at);
  const sameMonth = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const from = sameMonth === at ? at : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const first = new Date(from);
  const to = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + (options.months ?? 12), 1);
  const walkFrom = from - WARM_UP_MS;
  const moves = [...ticks(park, 'park', walkFrom, to), ...ticks(unpark, 'unpark', walkFrom, to)].sort(
    (a, b) => a.at - b.at,
  );
  return { from, to, walkFrom, moves };
}

function ticks(
  policy: ScheduledPolicy | undefined,
  move: ParkingMove['move'],
  from: number,
  to: number,
): ParkingMove[] {
  if (!policy?.enabled) return [];
  const endDate = Math.min(to, policy.endDate ? Date.parse(policy.endDate) : Infinity);
  const moves: ParkingMove[] = [];
  for (const instant of fireTimes(policy.schedule, {
    timezone: policy.timezone,
    startDate: policy.startDate ? new Date(policy.startDate) : undefined,
    endDate: new Date(endDate),
    from: new Date(from - 1),
  })) {
    if (policy.skipDates.includes(calendarDateIn(instant, policy.timezone))) continue;
    moves.push({ at: instant.getTime(), move });
  }
  return moves;
}

/** How long, after its tick, the park and the unpark keep billing going. */
export interface ParkingDurations {
  /** Minutes from the park tick until the droplet is destroyed: it is billed until then. */
  readonly parkMinutes: number;
  /** Minutes from the unpark tick until the park snapshot is deleted. */
  readonly unparkMinutes: number;
  /** Park snapshots kept after an unpark (the policy's `keepSnapshots`). */
  readonly keepSnapshots: number;
}

/** Who is billed when, over a calendar: each droplet from its create to its destroy, each snapshot while kept. */
export interface ParkingSpans {
  /** One per droplet: an unpark creates a new one. */
  readonly droplets: readonly BilledSpan[];
  readonly snapshots: readonly BilledSpan[];
  /** From each park tick to the unpark tick that ends it. */
  readonly parked: readonly BilledSpan[];
  /** The unpark ticks that created a droplet. */
  readonly creates: readonly number[];
}

/**
 * Walks the calendar's ticks. A park acts on a running droplet only and an unpark on a parked one,
 * as the engine does (a second park in a row finds nothing to park). Each snapshot is taken at its
 * park tick and deleted once `keepSnapshots` newer ones exist, `unparkMinutes` after the unpark
 * that makes it surplus.
 */
export function parkingSpans(calendar: ParkingCalendar, durations: ParkingDurations): ParkingSpans {
  const parkMs = durations.parkMinutes * 60_000;
  const unparkMs = durations.unparkMinutes * 60_000;
  const droplets: BilledSpan[] = [];
  const snapshots: BilledSpan[] = [];
  const parked: BilledSpan[] = [];
  const creates: number[] = [];
  const kept: number[] = Array.from({ length: durations.keepSnapshots }, () => calendar.walkFrom);
  let running = true;
  let since = calendar.walkFrom;
  for (const { at, move } of calendar.moves) {
    if (move === 'park' && running) {
      droplets.push({ start: since, end: at + parkMs });
      kept.push(at);
      running = false;
      since = at;
    } else if (move === 'unpark' && !running) {
      parked.push({ start: since, end: at });
      creates.push(at);
      while (kept.length > durations.keepSnapshots)
        snapshots.push({ start: kept.shift()!, end: at + unparkMs });
      running = true;
      since = at;
    }
  }
  (running ? droplets : parked).push({ start: since, end: calendar.to });
  for (const start of kept) snapshots.push({ start, end: calendar.to });
  return { droplets, snapshots, parked, creates };
}

/** Hours parked by the schedule (tick to tick) and hours in all, a month on average over the calendar. */
export function scheduledParkedHours(calendar: ParkingCalendar): {
  readonly parkedHours: number;
  readonly monthHours: number;
} {
  const { parked } = parkingSpans(calendar, { parkMinutes: 0, unparkMinutes: 0, keepSnapshots: 0 });
  const months = utcMonths(calendar.from, calendar.to).length;
  return {
    parkedHours: overlapMs(parked, calendar.from, calendar.to) / 3_600_000 / months,
    monthHours: (calendar.to - calendar.from) / 3_600_000 / months,
  };
}
