import type { LineageRecord, ParkedSpell } from '../ledger/lineage-record';
import {
  billMonth,
  overlapMs,
  utcMonths,
  utcMonthStart,
  type BilledSpan,
  type BillingGranularity,
  type DropletPrice,
  type MonthlyBill,
  type SnapshotSpan,
} from './droplet-billing';
import { costOfBills, type ParkingCost } from './parking-cost';

/** What parking actually saved on one droplet, from the park and unpark times its lineage recorded. */
export interface LineageSaving {
  /** The droplet's stable identity: its id when first parked. */
  readonly lineageId: number;
  /** The droplet that exists now (or last existed, while parked). */
  readonly dropletId: number;
  readonly name: string;
  /** The park policy. */
  readonly policy: string;
  readonly status: LineageRecord['status'];
  /** Parks that began in the months counted. */
  readonly parks: number;
  /** Hours parked in the months counted (destroy to create). */
  readonly parkedHours: number;
  /** The months counted, `yyyy-mm` (UTC), oldest first. */
  readonly months: readonly string[];
  /** The price it was billed at (the size recorded at its latest park in each month; this is the latest). */
  readonly price?: DropletPrice;
  /** Absent when the ledger recorded no price for it (the saving is then unknown, not zero). */
  readonly cost?: ParkingCost;
  /** Park snapshots it keeps now besides the one it is parked on (`keepSnapshots`): billed while kept, not counted in `cost`. */
  readonly keptSnapshots: { readonly count: number; readonly sizeGb: number };
}

/** Which months to count, and the time the counting stops. */
export interface LineageSavingOptions {
  readonly granularity: BillingGranularity;
  /** Now: a parked spell still open, and the droplet running since its last unpark, end here. */
  readonly now: Date;
  /** Count the months that overlap [from, to); by default every month since its first park. */
  readonly from?: Date;
  readonly to?: Date;
}

/**
 * The saving of one lineage, month by month (UTC calendar months, as DigitalOcean caps them), added
 * up over the months counted. Each month is billed twice:
 *
 * - without parking, one droplet existing all month (powered off it costs the same): its monthly
 *   price, or less in the current month (billed up to now);
 * - with parking, each droplet it had (one per unpark) for the time it existed, rounded per the
 *   granularity and capped on its own, plus the park snapshot while parked.
 *
 * The droplet parked first is taken to have existed since the start of that month: that can only
 * understate the saving (a droplet that reached its cap before it was parked saved nothing by it).
 * A month is counted whole or not at all, since the cap is per month.
 */
export function lineageSaving(lineage: LineageRecord, options: LineageSavingOptions): LineageSaving {
  const now = options.now.getTime();
  const spells = [...lineage.spells].sort((a, b) => Date.parse(a.parkedAt) - Date.parse(b.parkedAt));
  const kept = keptSnapshots(lineage);
  const identity = {
    lineageId: lineage.lineageId,
    dropletId: lineage.dropletId,
    name: lineage.name,
    policy: lineage.policy,
    status: lineage.status,
    keptSnapshots: kept,
  };
  const first = spells[0];
  if (first === undefined) return { ...identity, parks: 0, parkedHours: 0, months: [] };
  const start = utcMonthStart(Date.parse(first.parkedAt));
  const from = options.from ? utcMonthStart(options.from.getTime()) : -Infinity;
  const to = Math.min(options.to?.getTime() ?? Infinity, now);
  const months = utcMonths(start, now).filter((month) => month.end > from && month.start < to);
  const { droplets, parked } = lifetimes(spells, start, now);
  const snapshots: SnapshotSpan[] = parked.map((span, index) => ({
    ...span,
    sizeGb: spells[index]!.snapshotSizeGb,
  }));
  const counted = (month: { start: number; end: number }) => ({
    parks: spells.filter((spell) => within(Date.parse(spell.parkedAt), month)).length,
    parkedMs: overlapMs(parked, month.start, Math.min(month.end, now)),
  });
  const parks = months.reduce((total, month) => total + counted(month).parks, 0);
  const parkedHours = months.reduce((total, month) => total + counted(month).parkedMs, 0) / 3_600_000;
  const summary = { ...identity, parks, parkedHours, months: months.map((month) => month.key) };
  const latest = priceOf(spells[spells.length - 1]!) ?? specPrice(lineage);
  if (latest === undefined) return summary;
  const bills: MonthlyBill[] = months.map((month) =>
    billMonth(month, {
      coverage: { start, end: now },
      price: priceIn(spells, month.end) ?? latest,
      granularity: options.granularity,
      droplets,
      snapshots,
    }),
  );
  return { ...summary, price: latest, cost: costOfBills(bills) };
}

/**
 * Its droplets, each from its create to its destroy (the first from the month it was first parked
 * in), and its parked spells, from destroy to create (or now).
 */
function lifetimes(
  spells: readonly ParkedSpell[],
  start: number,
  now: number,
): { droplets: BilledSpan[]; parked: BilledSpan[] } {
  const droplets: BilledSpan[] = [];
  const parked: BilledSpan[] = [];
  let since: number | undefined = start;
  spells.forEach((spell, index) => {
    const parkedAt = Date.parse(spell.parkedAt);
    if (since !== undefined) droplets.push({ start: since, end: parkedAt });
    const unparkedAt = spell.unparkedAt === undefined ? undefined : Date.parse(spell.unparkedAt);
    // Only the last spell can be open; a later park bounds an earlier one in any case.
    const next = spells[index + 1];
    const bound = next === undefined ? now : Math.min(now, Date.parse(next.parkedAt));
    parked.push({ start: parkedAt, end: Math.min(unparkedAt ?? bound, bound) });
    since = unparkedAt;
  });
  if (since !== undefined && since < now) droplets.push({ start: since, end: now });
  return { droplets, parked };
}

function within(instant: number, month: { start: number; end: number }): boolean {
  return instant >= month.start && instant < month.end;
}

function priceOf(spell: ParkedSpell): DropletPrice | undefined {
  return spell.priceHourly !== undefined && spell.priceMonthly !== undefined
    ? { hourly: spell.priceHourly, monthly: spell.priceMonthly }
    : undefined;
}

function specPrice(lineage: LineageRecord): DropletPrice | undefined {
  const { priceHourly, priceMonthly } = lineage.spec;
  return priceHourly !== undefined && priceMonthly !== undefined
    ? { hourly: priceHourly, monthly: priceMonthly }
    : undefined;
}

/** The price of the latest park before `end` that recorded one: the size the droplet had that month. */
function priceIn(spells: readonly ParkedSpell[], end: number): DropletPrice | undefined {
  for (let index = spells.length - 1; index >= 0; index--) {
    const spell = spells[index]!;
    if (Date.parse(spell.parkedAt) < end) {
      const price = priceOf(spell);
      if (price) return price;
    }
  }
  return undefined;
}

/** The park snapshots kept besides the one a parked droplet is recreated from. */
function keptSnapshots(lineage: LineageRecord): { count: number; sizeGb: number } {
  const current = lineage.status === 'active' ? undefined : lineage.snapshot.id;
  const others = lineage.snapshots.filter((snapshot) => snapshot.id !== current);
  return { count: others.length, sizeGb: others.reduce((total, snapshot) => total + snapshot.sizeGb, 0) };
}
