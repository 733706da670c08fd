import type { AuditQueries as ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';

/** Pages per policy at most: far beyond what a 10-minute run writes, so that a bug cannot loop forever. */
const MAX_PAGES = 10_000;

/** Every item of the given policies, each read with `queryByPolicy` page by page (never a scan). */
export async function readLedger(ledger: ActionLedger, policies: readonly string[]): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for (const policy of policies) {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await ledger.queryByPolicy(policy, { limit: 1000, cursor });
      records.push(...result.items);
      cursor = result.cursor;
      if (cursor === undefined) break;
    }
  }
  return records;
}
