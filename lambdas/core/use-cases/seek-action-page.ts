import type { Action } from '../ports/droplet-api';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Actions per page of `GET /v2/actions`: DigitalOcean's largest page. */
export const ACTIONS_PER_PAGE = 200;

/** The furthest page probed: page 256 holds the actions 51,000 to 51,200 places down the list. */
const MAX_PROBE_PAGE = 256;

/**
 * One page of the account's action list; empty past its end. `urgent`: the reconciler's reads,
 * which its own budget bounds, go before queued starts, so that a backlog of initiation does not
 * hold every look back by the whole backlog.
 */
export async function readActionPage(
  deps: UseCaseDependencies,
  page: number,
  options: { readonly urgent?: boolean } = {},
): Promise<readonly Action[]> {
  for await (const items of deps.api.listActions({ perPage: ACTIONS_PER_PAGE, startPage: page, ...options }))
    return items;
  return [];
}

/** Reads a page (or answers it from this pass's cache); undefined when the pass's budget is spent. */
export type PageSource = (page: number) => Promise<readonly Action[] | undefined>;

/**
 * Finds the page of a list ordered by id (`descending` or `ascending`) where `actionId` is, or would
 * be: the first page whose last action reaches it. Starts at `hint` (where it was last seen), then
 * gallops away from it by 1, 2, 4… pages and halves back, in about 2·log2(distance) reads, which a
 * good hint makes one. Returns undefined when the budget runs out or a page is out of order, since
 * nothing can be inferred from such a list.
 */
export async function seekActionPage(
  read: PageSource,
  actionId: number,
  order: 'descending' | 'ascending',
  hint: number,
): Promise<number | undefined> {
  const probe = async (page: number): Promise<'before' | 'reached' | undefined> => {
    const actions = await read(page);
    if (actions === undefined) return undefined;
    const last = actions[actions.length - 1];
    if (last === undefined) return 'reached';
    const ordered = actions.every(
      (action, index) =>
        index === 0 ||
        (order === 'descending'
          ? action.id < (actions[index - 1] as Action).id
          : action.id > (actions[index - 1] as Action).id),
    );
    if (!ordered) return undefined;
    return (order === 'descending' ? last.id <= actionId : last.id >= actionId) ? 'reached' : 'before';
  };
  // Invariant once both are known: page `before` is all before the action, page `reached` reaches it.
  let before = 0;
  let reached: number | undefined;
  const start = Math.min(Math.max(1, hint), MAX_PROBE_PAGE);
  const first = await probe(start);
  if (first === undefined) return undefined;
  if (first === 'reached') {
    reached = start;
    for (let step = 1; reached - step >= 1; step *= 2) {
      const found = await probe(reached - step);
      if (found === undefined) return undefined;
      if (found === 'before') {
        before = reached - step;
        break;
      }
      reached -= step;
    }
  } else {
    before = start;
    for (let step = 1; reached === undefined; step *= 2) {
      const page = Math.min(before + step, MAX_PROBE_PAGE);
      if (page === before) return before + 1;
      const found = await probe(page);
      if (found === undefined) return undefined;
      if (found === 'reached') reached = page;
      else before = page;
    }
  }
  while (reached - before > 1) {
    const middle = Math.floor((before + reached) / 2);
    const found = await probe(middle);
    if (found === undefined) return undefined;
    if (found === 'reached') reached = middle;
    else before = middle;
  }
  return reached;
}
