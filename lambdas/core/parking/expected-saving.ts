import {
  billMonth,
  overlapMs,
  utcMonths,
  type BillingGranularity,
  type DropletPrice,
} from './droplet-billing';
import { parkingSpans, type ParkingCalendar } from './parking-calendar';
import { costOfBills, type ParkingCost } from './parking-cost';

/**
 * Minutes a snapshot takes per GB: DigitalOcean says about 1 to 3 minutes per GB of used disk;
 * the middle of that.
 */
export const SNAPSHOT_MINUTES_PER_GB = 2;

/**
 * Minutes the rest of a park takes before the destroy: the shutdown, and the steps after the
 * snapshot (confirm it, detach volumes, destroy), each started by the reconciler on its next pass.
 */
export const PARK_STEPS_MINUTES = 5;

/** Minutes from an unpark tick until its park snapshot is deleted: create, wait until active, restore, delete. */
export const UNPARK_MINUTES = 10;

/**
 * How long after its tick a park destroys the droplet, for a snapshot of this size: the droplet is
 * billed until then, which with hourly billing can cost a whole extra hour per park.
 */
export function estimatedParkMinutes(snapshotGb: number): number {
  return PARK_STEPS_MINUTES + SNAPSHOT_MINUTES_PER_GB * snapshotGb;
}

/** One droplet under a park schedule. */
export interface ExpectedSavingInput {
  /** The droplet's size's price. */
  readonly price: DropletPrice;
  /** Its park snapshot's size: DigitalOcean bills the snapshot's size, which is the disk's used part. */
  readonly snapshotGb: number;
  readonly granularity: BillingGranularity;
  /**
   * Park snapshots kept after each unpark (the policy's `keepSnapshots`), billed all month.
   * @default 0
   */
  readonly keepSnapshots?: number;
  /** @default estimatedParkMinutes(snapshotGb) */
  readonly parkMinutes?: number;
  /** @default UNPARK_MINUTES */
  readonly unparkMinutes?: number;
}

/** The expected bill of one droplet under a park schedule, a month on average over the calendar. */
export interface ExpectedSaving extends ParkingCost {
  readonly granularity: BillingGranularity;
  /** The calendar months averaged, `yyyy-mm` (UTC). */
  readonly firstMonth: string;
  readonly lastMonth: string;
  readonly months: number;
  /** Minutes from a park tick to the destroy, billed as running time. */
  readonly parkMinutes: number;
  /** Hours parked a month, tick to tick. */
  readonly parkedHours: number;
  /** Droplet hours billed a month (whole hours each under hourly billing), before the monthly caps. */
  readonly dropletHours: number;
  /** Droplets created a month: one per unpark, each a billing item of its own. */
  readonly dropletsCreated: number;
  /** The hours of an average month of the calendar. */
  readonly monthHours: number;
}

/**
 * What parking one droplet is expected to cost and save a month: the bill of each calendar month
 * with parking (every running stretch a droplet of its own, billed until its destroy, rounded and
 * capped on its own; every snapshot while kept) against the droplet left as it is (its monthly
 * price, powered off or not), averaged over the calendar.
 */
export function expectedSaving(calendar: ParkingCalendar, input: ExpectedSavingInput): ExpectedSaving {
  const parkMinutes = input.parkMinutes ?? estimatedParkMinutes(input.snapshotGb);
  const spans = parkingSpans(calendar, {
    parkMinutes,
    unparkMinutes: input.unparkMinutes ?? UNPARK_MINUTES,
    keepSnapshots: input.keepSnapshots ?? 0,
  });
  const months = utcMonths(calendar.from, calendar.to);
  const snapshots = spans.snapshots.map((span) => ({ ...span, sizeGb: input.snapshotGb }));
  const bills = months.map((month) =>
    billMonth(month, {
      coverage: { start: calendar.from, end: calendar.to },
      price: input.price,
      granularity: input.granularity,
      droplets: spans.droplets,
      snapshots,
    }),
  );
  const count = months.length;
  const hours = (ms: number) => ms / 3_600_000 / count;
  return {
    ...costOfBills(bills, count),
    granularity: input.granularity,
    firstMonth: months[0]?.key ?? '',
    lastMonth: months[count - 1]?.key ?? '',
    months: count,
    parkMinutes,
    parkedHours: hours(overlapMs(spans.parked, calendar.from, calendar.to)),
    dropletHours: bills.reduce((total, bill) => total + bill.dropletHours, 0) / count,
    dropletsCreated: spans.creates.filter((at) => at >= calendar.from && at < calendar.to).length / count,
    monthHours: hours(calendar.to - calendar.from),
  };
}
