import type { LineageRecord } from '../ledger/lineage-record';
import type { BillingGranularity } from '../parking/droplet-billing';
import { lineageOfDroplet } from '../parking/lineage-ledger';
import { lineageSaving, type LineageSaving } from '../parking/lineage-saving';
import { allLineages } from '../parking/parked-targets';
import { addCosts, type ParkingCost } from '../parking/parking-cost';
import type { ActionLedger } from '../ports/audit-queries';

/** Which lineages `audit --savings` adds up, and how. */
export interface SavingsQuery {
  readonly granularity: BillingGranularity;
  readonly now: Date;
  /** Count the UTC months that overlap [from, to). @default every month since each lineage's first park */
  readonly from?: Date;
  /** @default now */
  readonly to?: Date;
  /** Only the lineage of this droplet (any id it has had). */
  readonly dropletId?: number;
  /**
   * Only the lineages of this park policy: its name (`nights-park`), its unpark twin's
   * (`nights-unpark`) or the `parkSchedule` entry's (`nights`).
   */
  readonly policy?: string;
}

/** What parking saved, per lineage and in all. */
export interface SavingsReport {
  readonly granularity: BillingGranularity;
  /** Ordered by lineage id; those with no month counted are left out. */
  readonly lineages: readonly LineageSaving[];
  /** The lineages whose price is on record, added up. */
  readonly total: ParkingCost;
  /** How many lineages have no price on record, so that their saving is unknown and left out of `total`. */
  readonly unpriced: number;
  /** Whether the ledger holds any lineage at all (before the filters). */
  readonly anyLineage: boolean;
}

/** The savings read model: every lineage (one query, all pages), or the one of a droplet. */
export async function readSavings(ledger: ActionLedger, query: SavingsQuery): Promise<SavingsReport> {
  let lineages: LineageRecord[];
  let anyLineage: boolean;
  if (query.dropletId !== undefined) {
    const found = await lineageOfDroplet(ledger, query.dropletId);
    lineages = found ? [found] : [];
    anyLineage = found !== undefined || (await ledger.queryLineages({ limit: 1 })).items.length > 0;
  } else {
    lineages = await allLineages(ledger);
    anyLineage = lineages.length > 0;
  }
  const selected = lineages
    .filter((lineage) => query.policy === undefined || parkPolicyMatches(lineage.policy, query.policy))
    .sort((a, b) => a.lineageId - b.lineageId)
    .map((lineage) =>
      lineageSaving(lineage, {
        granularity: query.granularity,
        now: query.now,
        from: query.from,
        to: query.to,
      }),
    )
    // A lineage not parked yet, or parked only outside the months asked for, has nothing to count.
    .filter((saving) => saving.months.length > 0);
  const priced = selected.flatMap((saving) => (saving.cost ? [saving.cost] : []));
  return {
    granularity: query.granularity,
    lineages: selected,
    total: addCosts(priced),
    unpriced: selected.filter((saving) => saving.cost === undefined).length,
    anyLineage,
  };
}

function parkPolicyMatches(parkPolicy: string, asked: string): boolean {
  const base = parkPolicy.replace(/-park$/, '');
  return asked === parkPolicy || asked === base || asked === `${base}-unpark`;
}
