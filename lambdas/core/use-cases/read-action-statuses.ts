import { NotFoundError } from '../errors/not-found-error';
import type { ActionRecord } from '../ledger/action-record';
import type { Action, Droplet } from '../ports/droplet-api';
import type { ReconcileOptions } from './reconcile-actions';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Up to this many droplets' states are read one by one; more, from the droplet list. */
const SINGLE_DROPLET_READS = 10;

/** The droplet list is read for at most this many pages (10,000 droplets) in one pass. */
const MAX_DROPLET_PAGES = 50;

/**
 * The action list's page budget grows with the due actions: about one page per 200 of them, plus
 * a little for other actions in between, never fewer than 10 pages nor more than 50 (10,000
 * actions, a bulk action on a large tag). A fixed budget of 10 left a backlog of such bulk actions
 * to single lookups, 100 a pass, which never caught up.
 */
const MIN_LIST_PAGES = 10;
const MAX_LIST_PAGES = 50;
const ACTIONS_PER_PAGE = 200;

export function listPageBudget(dueActions: number): number {
  return Math.min(MAX_LIST_PAGES, Math.max(MIN_LIST_PAGES, Math.ceil(dueActions / ACTIONS_PER_PAGE) + 2));
}

/**
 * Reads many statuses per request: pages of the account's action list (200 each) while that is
 * cheaper than looking the due actions up one by one, keeping every open action it sees; then
 * single lookups for what is still unseen. The list's order is not documented: paging stops early
 * only while the pages it has read were in strictly descending id order and the last one has
 * gone below the oldest due action; any other order just reads on up to the page budget.
 */
export async function readStatuses(
  deps: UseCaseDependencies,
  dueItems: readonly ActionRecord[],
  openItems: readonly ActionRecord[],
  options: ReconcileOptions,
): Promise<{ seen: Map<number, Action>; missing: Set<number> }> {
  const due = new Set(dueItems.map((item) => item.actionId as number));
  const open = new Set(openItems.map((item) => item.actionId as number));
  const seen = new Map<number, Action>();
  const missing = new Set<number>();
  const unseenDue = () => [...due].filter((id) => !seen.has(id));
  const maxPages = options.maxListPages ?? listPageBudget(due.size);
  if (due.size > 1) {
    const oldestDue = Math.min(...due);
    let pages = 0;
    let descending = true;
    let previous = Infinity;
    for await (const page of deps.api.listActions({ perPage: ACTIONS_PER_PAGE })) {
      for (const action of page) {
        if (open.has(action.id)) seen.set(action.id, action);
        descending &&= action.id < previous;
        previous = action.id;
      }
      pages += 1;
      const left = unseenDue().length;
      const pastOldest = descending && previous < oldestDue;
      // One more page is worth it only while it costs less than the lookups it could save.
      if (left === 0 || pastOldest || pages >= maxPages || left <= 1) break;
    }
  }
  for (const id of unseenDue().slice(0, options.maxSingleLookups ?? 100)) {
    try {
      seen.set(id, await deps.api.getAction(id));
    } catch (error) {
      // A vanished action is settled as errored; anything else waits for the next run.
      if (!(error instanceof NotFoundError)) throw error;
      missing.add(id);
    }
  }
  return { seen, missing };
}

/**
 * The power state of droplets whose power action errored, to tell "already in that state" from a
 * real failure. A few are read one by one; more are read from the droplet list, 200 a page, since
 * a bulk action on a tag can error on hundreds of droplets at once.
 */
export async function dropletStatuses(
  deps: UseCaseDependencies,
  ids: ReadonlySet<number>,
): Promise<Map<number, Droplet['status']>> {
  const statuses = new Map<number, Droplet['status']>();
  if (ids.size <= SINGLE_DROPLET_READS) {
    for (const id of ids) {
      try {
        statuses.set(id, (await deps.api.getDroplet(id)).status);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return statuses;
  }
  let pages = 0;
  for await (const page of deps.api.listDroplets({ perPage: 200 })) {
    for (const droplet of page) if (ids.has(droplet.id)) statuses.set(droplet.id, droplet.status);
    pages += 1;
    if (statuses.size === ids.size || pages >= MAX_DROPLET_PAGES) break;
  }
  return statuses;
}
