import { isOperation, type StepType } from '../workflow/workflow';
import { catalogEntry } from '../actions/action-catalog';
import { NotFoundError } from '../errors/not-found-error';
import { RateLimitedError } from '../errors/rate-limited-error';
import type { ActionRecord } from '../ledger/action-record';
import type { Action, Droplet } from '../ports/droplet-api';
import { ActionListMemory } from '../reconcile/action-list-memory';
import type { ReconcileOptions } from './reconcile-actions';
import { ACTIONS_PER_PAGE, readActionPage, seekActionPage } from './seek-action-page';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Up to this many droplets' states are read one by one; more, from the droplet list. */
const SINGLE_DROPLET_READS = 10;

/** The droplet list is read for at most this many pages (10,000 droplets) in one pass. */
const MAX_DROPLET_PAGES = 50;

/** Pages a seek may read besides the pages it finds, without a budget: 2·log2 of 256 pages. */
const SEEK_PAGES = 16;

/** Due actions up to this many are looked up one by one: fewer requests than finding their page. */
const SINGLE_LOOKUPS_BELOW = 3;

/**
 * Without a budget, the action list's page budget grows with the due actions: about one page per
 * 200 of them, plus a little for other actions in between, never fewer than 10 pages nor more
 * than 50 (10,000 actions, a bulk action on a large tag).
 */
const MIN_LIST_PAGES = 10;
const MAX_LIST_PAGES = 50;

export function listPageBudget(dueActions: number): number {
  return Math.min(MAX_LIST_PAGES, Math.max(MIN_LIST_PAGES, Math.ceil(dueActions / ACTIONS_PER_PAGE) + 2));
}

export interface StatusReads {
  readonly seen: Map<number, Action>;
  readonly missing: Set<number>;
  /** Requests this read made (list pages and single lookups). */
  readonly requests: number;
}

/**
 * Reads the statuses of the due actions, most urgent first, within the pass's budget: pages of
 * the account's action list (200 statuses a request) where several are due, single lookups where
 * few are. Every open action a page shows is kept, since that read costs nothing more.
 *
 * Urgency is the ledger's own plan: an action falls due when it is expected to have finished
 * (from its type and disk size, then a twentieth of its elapsed time later each look), so the most
 * overdue come first, quick types before slow ones at the same instant. What the budget leaves
 * unseen stays due and is first in line next pass.
 *
 * The list's order is not documented. Pages are found by id only while every page read is in
 * order (newest first or oldest first, whichever the list shows); the page each open action was
 * seen on is remembered as a hint for the next pass. A list seen out of order is read from the
 * top, as far as the budget allows, and the rest is looked up one by one.
 */
export async function readStatuses(
  deps: UseCaseDependencies,
  dueItems: readonly ActionRecord[],
  openItems: readonly ActionRecord[],
  options: ReconcileOptions,
): Promise<StatusReads> {
  const open = new Set(openItems.map((item) => item.actionId as number));
  const memory = options.budget?.list ?? new ActionListMemory();
  memory.retain(open);
  const urgent = [...dueItems].sort(byUrgency).map((item) => item.actionId as number);
  const seen = new Map<number, Action>();
  const missing = new Set<number>();
  let allowance = options.budget?.allowance(deps.now().getTime()) ?? Infinity;
  let requests = 0;
  const unseen = () => urgent.filter((id) => !seen.has(id) && !missing.has(id));
  // Within a budget the reads go first in the rate limiter: the budget is what bounds them.
  const urgentReads = { urgent: options.budget !== undefined };
  let singleCandidates: () => number[] = unseen;
  // The token's budget ran out under this pass (the rate limiter would wait too long): stop here.
  let refused = false;

  if (urgent.length >= SINGLE_LOOKUPS_BELOW) {
    const pageCap = Math.min(
      allowance,
      options.maxListPages ?? (options.budget ? Infinity : listPageBudget(urgent.length) + SEEK_PAGES),
    );
    const cache = new Map<number, readonly Action[]>();
    const read = async (page: number): Promise<readonly Action[] | undefined> => {
      const cached = cache.get(page);
      if (cached) return cached;
      if (cache.size >= pageCap || refused) return undefined;
      let actions: readonly Action[];
      try {
        actions = await readActionPage(deps, page, urgentReads);
      } catch (error) {
        if (!notSent(error)) throw error;
        refused = true;
        return undefined;
      }
      cache.set(page, actions);
      memory.remember(page, actions, open);
      for (const action of actions) if (open.has(action.id)) seen.set(action.id, action);
      return actions;
    };
    const notInList = await readPages(read, memory, unseen);
    requests += cache.size;
    allowance -= cache.size;
    // Within a budget, an ordered list leaves to single lookups only what it did not show where
    // it should have: the rest is cheaper on the pages of the next pass.
    if (options.budget && memory.order !== 'unordered')
      singleCandidates = () => unseen().filter((id) => notInList.includes(id));
  }
  const singles = Math.min(allowance, options.maxSingleLookups ?? 100);
  for (const id of singleCandidates().slice(0, Math.max(0, singles))) {
    if (refused) break;
    try {
      seen.set(id, await deps.api.getAction(id, urgentReads));
      requests += 1;
    } catch (error) {
      if (notSent(error)) {
        refused = true;
        break;
      }
      requests += 1;
      // A vanished action is settled as errored; anything else waits for the next run.
      if (!(error instanceof NotFoundError)) throw error;
      missing.add(id);
    }
  }
  options.budget?.spend(deps.now().getTime(), requests);
  return { seen, missing, requests };
}

/**
 * Reads the pages holding the most urgent unseen due action, and the pages after it while they
 * hold due actions too, then seeks the next most urgent, until all are seen or the budget is
 * spent. Returns the due actions the list did not show where their ids said they would be.
 */
async function readPages(
  read: (page: number) => Promise<readonly Action[] | undefined>,
  memory: ActionListMemory,
  unseen: () => number[],
): Promise<number[]> {
  const notInList: number[] = [];
  const pending = () => unseen().filter((id) => !notInList.includes(id));
  for (;;) {
    const target = pending()[0];
    if (target === undefined) return notInList;
    const order = memory.order;
    if (order !== 'descending' && order !== 'ascending') {
      if (order === undefined) {
        const first = await read(1);
        if (first === undefined) return notInList;
        if (memory.order === 'descending' || memory.order === 'ascending') continue;
        // The whole list fits on one page: everything in it is seen.
        if (first.length < ACTIONS_PER_PAGE) return notInList;
      }
      // Out of order: from the top, as far as the budget allows; the rest is looked up one by one.
      for (let page = 1; page <= MAX_SEQUENTIAL_PAGES; page += 1) {
        const actions = await read(page);
        if (actions === undefined || actions.length < ACTIONS_PER_PAGE || pending().length === 0) break;
      }
      return notInList;
    }
    const found = await seekActionPage(read, target, order, memory.hint(target));
    if (found === undefined) {
      if (memory.order !== order) continue;
      return notInList;
    }
    let page = found;
    for (;;) {
      const before = new Set(pending());
      const actions = await read(page);
      if (actions === undefined) return notInList;
      const dueHere = actions.some((action) => before.has(action.id));
      if (actions.length < ACTIONS_PER_PAGE || (!dueHere && page > found)) break;
      page += 1;
    }
    if (pending()[0] === target) notInList.push(target);
  }
}

/** A request the rate limiter refused to send (it would have waited too long): nothing was spent. */
function notSent(error: unknown): boolean {
  return error instanceof RateLimitedError && error.status === 0;
}

/** Pages read from the top of a list whose order is unknown or broken, in one pass at most. */
const MAX_SEQUENTIAL_PAGES = MAX_LIST_PAGES;

function byUrgency(a: ActionRecord, b: ActionRecord): number {
  const due = (a.dueAt ?? '').localeCompare(b.dueAt ?? '');
  return due !== 0 ? due : paceRank(a.type) - paceRank(b.type);
}

function paceRank(type: StepType): number {
  // Only actions are in progress on DigitalOcean; a parking step never is.
  if (isOperation(type)) return 2;
  const pace = catalogEntry(type).pace;
  return pace === 'seconds' ? 0 : pace === 'minutes' ? 1 : 2;
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
