/*
 * How DigitalOcean bills what parking trades against each other: a droplet for as long as it
 * exists (powered off or not, until it is destroyed), and a snapshot for its size while it is kept.
 *
 * - Each droplet is its own billing item, capped per calendar month at its monthly price (672
 *   hours' worth). An unpark creates a new droplet, so every running stretch is billed, rounded
 *   and capped on its own; the stretches of one month are never capped together.
 * - Granularity: DigitalOcean's pricing page documents hourly billing with a one-hour minimum per
 *   droplet; its staff say droplets are billed per second since 2026-01-01, with a minimum of 60
 *   seconds or $0.01. Hourly is the default: it is what the pricing page says, and it never
 *   overstates a saving.
 * - Snapshots: $0.06 per GB-month of snapshot size. DigitalOcean gives no hourly rate, so a kept
 *   snapshot is billed as a droplet is: by the hour (or second) at a 672-hour month, capped at the
 *   monthly rate per calendar month. That never understates the storage.
 * - Calendar months are UTC.
 */

/** How DigitalOcean rounds the time a droplet (or snapshot) exists. */
export type BillingGranularity = 'hourly' | 'per-second';

export const BILLING_GRANULARITIES: readonly BillingGranularity[] = ['hourly', 'per-second'];

/**
 * `hourly`, as DigitalOcean's pricing page documents it: whole hours, at least one, per droplet.
 * Of the two it bills more, so a saving computed with it is never overstated.
 */
export const DEFAULT_BILLING_GRANULARITY: BillingGranularity = 'hourly';

export function isBillingGranularity(value: string): value is BillingGranularity {
  return (BILLING_GRANULARITIES as readonly string[]).includes(value);
}

/** What a granularity assumes and who says so, for every figure that rests on it. */
export const GRANULARITY_TEXT: Readonly<Record<BillingGranularity, string>> = {
  hourly: "hourly billing (DigitalOcean's pricing page: whole hours, one-hour minimum per droplet)",
  'per-second':
    'per-second billing (DigitalOcean staff, since 2026-01-01: minimum 60 s or $0.01 per droplet)',
};

/** The hours of a droplet's monthly price: past them a calendar month costs no more. */
export const BILLING_MONTH_HOURS = 672;

/** What a GB of snapshot costs for a month of keeping it. */
export const SNAPSHOT_USD_PER_GB_MONTH = 0.06;

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const PER_SECOND_MINIMUM_SECONDS = 60;
const PER_SECOND_MINIMUM_USD = 0.01;

/** A size's price, as `GET /v2/sizes` gives it (`price_hourly`, `price_monthly`), in US dollars. */
export interface DropletPrice {
  readonly hourly: number;
  readonly monthly: number;
}

/** A time during which one item is billed, [start, end) in ms since the epoch. */
export interface BilledSpan {
  readonly start: number;
  readonly end: number;
}

/** A snapshot kept during a span. */
export interface SnapshotSpan extends BilledSpan {
  readonly sizeGb: number;
}

/** The hours billed for an item that exists `ms` milliseconds in a month: none for none. */
export function billedHours(ms: number, granularity: BillingGranularity): number {
  if (ms <= 0) return 0;
  if (granularity === 'hourly') return Math.ceil(ms / HOUR);
  return Math.max(Math.ceil(ms / SECOND), PER_SECOND_MINIMUM_SECONDS) / 3600;
}

/** What one droplet that exists `ms` milliseconds in a calendar month costs that month. */
export function dropletCharge(ms: number, price: DropletPrice, granularity: BillingGranularity): number {
  const hours = billedHours(ms, granularity);
  if (hours === 0) return 0;
  const charge = Math.min(hours * price.hourly, price.monthly);
  return granularity === 'per-second'
    ? Math.max(charge, Math.min(PER_SECOND_MINIMUM_USD, price.monthly))
    : charge;
}

/** What one snapshot kept `ms` milliseconds in a calendar month costs that month. */
export function snapshotCharge(ms: number, sizeGb: number, granularity: BillingGranularity): number {
  const monthly = sizeGb * SNAPSHOT_USD_PER_GB_MONTH;
  return Math.min((billedHours(ms, granularity) / BILLING_MONTH_HOURS) * monthly, monthly);
}

/** A UTC calendar month: `yyyy-mm` and its bounds. */
export interface UtcMonth {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** The UTC calendar months that overlap [from, to), in order. */
export function utcMonths(from: number, to: number): UtcMonth[] {
  const months: UtcMonth[] = [];
  if (!(to > from)) return months;
  const first = new Date(from);
  for (let index = 0; ; index++) {
    const start = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index, 1);
    if (start >= to) break;
    const end = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + index + 1, 1);
    const date = new Date(start);
    months.push({
      key: `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`,
      start,
      end,
    });
  }
  return months;
}

/** The start of the UTC calendar month an instant falls in. */
export function utcMonthStart(instant: number): number {
  const date = new Date(instant);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** One calendar month with and without parking. */
export interface MonthlyBill {
  /** `yyyy-mm`, UTC. */
  readonly month: string;
  /** One droplet existing throughout the covered part of the month: on or off, it costs this. */
  readonly withoutParking: number;
  /** Every droplet that existed in the month, each billed on its own. */
  readonly dropletCost: number;
  /** Every snapshot kept in the month. */
  readonly snapshotCost: number;
  /** The droplet hours billed (after rounding, before the caps). */
  readonly dropletHours: number;
}

/** What is billed in one month, with parking and without it. */
export interface MonthBillInput {
  /** When, without parking, the droplet would have existed (usually the whole month). */
  readonly coverage: BilledSpan;
  readonly price: DropletPrice;
  readonly granularity: BillingGranularity;
  /** Each a droplet of its own: from its create to its destroy. */
  readonly droplets: readonly BilledSpan[];
  readonly snapshots: readonly SnapshotSpan[];
}

/** Bills one calendar month: each droplet and snapshot on its own, rounded and capped in that month. */
export function billMonth(month: UtcMonth, input: MonthBillInput): MonthlyBill {
  const within = (span: BilledSpan) =>
    Math.max(0, Math.min(span.end, month.end) - Math.max(span.start, month.start));
  let dropletCost = 0;
  let dropletHours = 0;
  for (const droplet of input.droplets) {
    const ms = within(droplet);
    dropletCost += dropletCharge(ms, input.price, input.granularity);
    dropletHours += billedHours(ms, input.granularity);
  }
  let snapshotCost = 0;
  for (const snapshot of input.snapshots)
    snapshotCost += snapshotCharge(within(snapshot), snapshot.sizeGb, input.granularity);
  return {
    month: month.key,
    withoutParking: dropletCharge(within(input.coverage), input.price, input.granularity),
    dropletCost,
    snapshotCost,
    dropletHours,
  };
}

/** The milliseconds of these spans that fall in [from, to). */
export function overlapMs(spans: readonly BilledSpan[], from: number, to: number): number {
  let total = 0;
  for (const span of spans) total += Math.max(0, Math.min(span.end, to) - Math.max(span.start, from));
  return total;
}
