import { NotFoundError } from '../errors/not-found-error';
import type { ActionRecord } from '../ledger/action-record';
import type { Action, Droplet } from '../ports/droplet-api';
import type { ReconcileOptions } from './reconcile-actions';
import { ACTIONS_PER_PAGE, readActionPage, seekActionPage } from './seek-action-page';
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

export function listPageBudget(dueActions: number): number {
  return Math.min(MAX_LIST_PAGES, Math.max(MIN_LIST_PAGES, Math.ceil(dueActions / ACTIONS_PER_PAGE) + 2));
}

/**
 * Reads many statuses per request: pages of the account's action list (200 each) while that is
 * cheaper than looking the due actions up one by one, keeping every open action it sees; then
 * single lookups for what is still unseen. The list's order is not documented: paging stops early,
 * or jumps over newer pages to where the due actions are, only while every page read was in
 * strictly descending id order; any other order just reads on from the top up to the page budget.
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
  if (due.size > 1) {
    await readListPages(deps, {
      due,
      keep: (actions) => {
        for (const action of actions) if (open.has(action.id)) seen.set(action.id, action);
      },
      unseenDue: () => unseenDue().length,
      maxPages: options.maxListPages ?? listPageBudget(due.size),
    });
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

async function readListPages(
  deps: UseCaseDependencies,
  scan: {
    due: ReadonlySet<number>;
    keep: (actions: readonly Action[]) => void;
    unseenDue: () => number;
    maxPages: number;
  },
): Promise<void> {
  const oldestDue = Math.min(...scan.due);
  const newestDue = Math.max(...scan.due);
  let descending = true;
  let previous = Infinity;
  let pages = 0;
  const read = (actions: readonly Action[]) => {
    scan.keep(actions);
    for (const action of actions) {
      descending &&= action.id < previous;
      previous = action.id;
    }
    pages += 1;
  };
  // One more page is worth it only while it costs less than the lookups it could save.
  const enough = () =>
    scan.unseenDue() <= 1 || (descending && previous < oldestDue) || pages >= scan.maxPages;

  const first = await readActionPage(deps, 1);
  read(first);
  if (first.length < ACTIONS_PER_PAGE || enough()) return;
  let from = 2;
  if (descending && previous > newestDue) {
    const reached = await seekActionPage(deps, newestDue, scan.keep);
    if (reached === undefined) descending = false;
    else [from, previous] = [reached, Infinity];
  }
  for await (const page of deps.api.listActions({ perPage: ACTIONS_PER_PAGE, startPage: from })) {
    read(page);
    if (enough()) break;
  }
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
