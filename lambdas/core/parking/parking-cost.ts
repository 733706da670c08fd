import type { MonthlyBill } from './droplet-billing';

/**
 * What parking changes on the bill, in US dollars: the droplet left as it is (`withoutParking`;
 * powered off it costs the same), against the droplets parking creates plus the snapshots it keeps.
 * `saving` is negative when parking costs more; `costsMore` says so in words a caller cannot miss.
 */
export interface ParkingCost {
  readonly withoutParking: number;
  /** The droplets: one per running stretch (every unpark creates a new one). */
  readonly dropletCost: number;
  /** The park snapshots, and those `keepSnapshots` keeps. */
  readonly snapshotCost: number;
  /** `dropletCost + snapshotCost`. */
  readonly withParking: number;
  /** `withoutParking - withParking`: negative when parking costs more. */
  readonly saving: number;
  /** `saving` as a percentage of `withoutParking` (0 when that is 0). */
  readonly savingPct: number;
  /** Parking costs more than leaving the droplet be. */
  readonly costsMore: boolean;
}

/** The cost of parking from its three parts. */
export function parkingCost(withoutParking: number, dropletCost: number, snapshotCost: number): ParkingCost {
  const withParking = dropletCost + snapshotCost;
  const saving = withoutParking - withParking;
  return {
    withoutParking,
    dropletCost,
    snapshotCost,
    withParking,
    saving,
    savingPct: withoutParking > 0 ? (saving / withoutParking) * 100 : 0,
    costsMore: saving < 0,
  };
}

/** The bills of several months added up, divided by `divisor` (1 for a total, the month count for an average). */
export function costOfBills(bills: readonly MonthlyBill[], divisor = 1): ParkingCost {
  const sum = (pick: (bill: MonthlyBill) => number) =>
    bills.reduce((total, bill) => total + pick(bill), 0) / divisor;
  return parkingCost(
    sum((bill) => bill.withoutParking),
    sum((bill) => bill.dropletCost),
    sum((bill) => bill.snapshotCost),
  );
}

/** Several costs added up (several droplets, several lineages). */
export function addCosts(costs: readonly ParkingCost[]): ParkingCost {
  const sum = (pick: (cost: ParkingCost) => number) => costs.reduce((total, cost) => total + pick(cost), 0);
  return parkingCost(
    sum((cost) => cost.withoutParking),
    sum((cost) => cost.dropletCost),
    sum((cost) => cost.snapshotCost),
  );
}
