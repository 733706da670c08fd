import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { ActionLedger } from '../../lambdas/core/ports/action-ledger';

/** Far enough ahead that every open item is due by it: the open index then lists them all. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

/** Pages of the open index read at most, so that a huge backlog cannot stall a status line. */
const MAX_PAGES = 50;

/** The open items (pending or in-progress) and the earliest moment one of them is due for a check. */
export interface OpenActions {
  readonly items: readonly ActionRecord[];
  /** Epoch milliseconds; undefined when nothing is open. */
  readonly nextDueAt?: number;
  /** True when the backlog was larger than what was read. */
  readonly truncated: boolean;
}

/**
 * Every open action, from the sparse open index (a Query per shard, never a Scan): asked for
 * everything due by the end of time, it answers everything still open.
 */
export async function openActions(ledger: ActionLedger): Promise<OpenActions> {
  const items: ActionRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await ledger.findOpenDue(END_OF_TIME, { limit: 1000, cursor });
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < MAX_PAGES);
  const dues = items.flatMap((item) => (item.dueAt ? [Date.parse(item.dueAt)] : []));
  return {
    items,
    nextDueAt: dues.length > 0 ? Math.min(...dues) : undefined,
    truncated: cursor !== undefined,
  };
}
