import type { LedgerStore } from '../../lambdas/core/ports/ledger-store';

/** Far enough ahead that every open item is due by it: the open index then lists them all. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

/** Pages of the open index read at most, so that a huge backlog cannot stall a status line. */
const MAX_PAGES = 50;

/** How many items have something left to do (open actions, unfinished runs, undone effects), and when the next is due. */
export interface OpenActions {
  readonly count: number;
  /** Epoch milliseconds; undefined when nothing is open. */
  readonly nextDueAt?: number;
  /** True when the backlog was larger than what was read. */
  readonly truncated: boolean;
  /** How many of them are of each action type, e.g. `{ snapshot: 5 }`. */
  readonly byType: Readonly<Record<string, number>>;
}

/**
 * Counts every open item from the sparse open index (a Query, never a Scan): asked
 * for everything due by the end of time, it answers everything still open. Only a page is held at
 * a time, so that counting a backlog of tens of thousands costs no more memory than one page.
 */
export async function openActions(ledger: LedgerStore): Promise<OpenActions> {
  let count = 0;
  let nextDueAt: number | undefined;
  let cursor: string | undefined;
  let pages = 0;
  const byType: Record<string, number> = {};
  do {
    const page = await ledger.findOpenDue(END_OF_TIME, { limit: 1000, cursor });
    count += page.items.length;
    for (const item of page.items) {
      const type = item.kind === 'action' || item.kind === 'run' ? item.type : item.kind;
      byType[type] = (byType[type] ?? 0) + 1;
      const due = item.dueAt === undefined ? undefined : Date.parse(item.dueAt);
      if (due !== undefined && (nextDueAt === undefined || due < nextDueAt)) nextDueAt = due;
    }
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < MAX_PAGES);
  return { count, nextDueAt, truncated: cursor !== undefined, byType };
}
