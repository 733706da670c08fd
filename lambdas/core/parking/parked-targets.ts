import type { LineageRecord } from '../ledger/lineage-record';
import type { ActionLedger } from '../ports/audit-queries';

/** A droplet to unpark: the id it had when parked, and the lineage that recreates it. */
export interface ParkedTarget {
  readonly id: number;
  readonly name: string;
  readonly regionSlug: string;
  readonly lineageId: number;
}

/** Every lineage in the ledger, all pages. */
export async function allLineages(ledger: ActionLedger): Promise<LineageRecord[]> {
  const lineages: LineageRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.queryLineages({ cursor, limit: 1000 });
    lineages.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return lineages;
}

/**
 * The targets of an unpark tick: the droplets its park policy parked and that are not running
 * again. One an earlier unpark holds (`unparking`) is included: its create step decides whether
 * that unpark still may create it, or this one takes over.
 */
export async function parkedTargets(ledger: ActionLedger, parkPolicy: string): Promise<ParkedTarget[]> {
  return (await allLineages(ledger))
    .filter(
      (lineage) =>
        lineage.policy === parkPolicy && (lineage.status === 'parked' || lineage.status === 'unparking'),
    )
    .map((lineage) => ({
      id: lineage.dropletId,
      name: lineage.name,
      regionSlug: lineage.spec.region,
      lineageId: lineage.lineageId,
    }));
}
