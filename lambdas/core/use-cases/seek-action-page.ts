import type { Action } from '../ports/droplet-api';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Actions per page of `GET /v2/actions`: DigitalOcean's largest page. */
export const ACTIONS_PER_PAGE = 200;

/** The furthest page probed: page 256 holds the actions 51,000 to 51,200 places down the list. */
const MAX_PROBE_PAGE = 256;

/** One page of the account's action list; empty past its end. */
export async function readActionPage(deps: UseCaseDependencies, page: number): Promise<readonly Action[]> {
  for await (const items of deps.api.listActions({ perPage: ACTIONS_PER_PAGE, startPage: page }))
    return items;
  return [];
}

export function isDescending(actions: readonly Action[]): boolean {
  return actions.every((action, index) => index === 0 || action.id < (actions[index - 1] as Action).id);
}

/**
 * Finds where a list in descending id order reaches `newestDue`, when its first page is all newer:
 * pages 2, 4, 8… until one reaches it, then halving back, in about 2·log2(pages) requests instead
 * of reading every page in between. That is where a backlog of older actions lies once thousands
 * of newer ones (the next bulk action on a large tag) sit in front of it. Every page probed goes
 * to `onPage`. Returns the first page reaching `newestDue` (or past the list's end), or undefined
 * when a probed page is out of order, since nothing can be inferred from such a list.
 */
export async function seekActionPage(
  deps: UseCaseDependencies,
  newestDue: number,
  onPage: (actions: readonly Action[]) => void,
): Promise<number | undefined> {
  const probe = async (page: number): Promise<'newer' | 'reached' | 'unordered'> => {
    const actions = await readActionPage(deps, page);
    onPage(actions);
    if (!isDescending(actions)) return 'unordered';
    const last = actions[actions.length - 1];
    return last === undefined || last.id <= newestDue ? 'reached' : 'newer';
  };
  let newer = 1;
  let reached: number | undefined;
  for (let page = 2; page <= MAX_PROBE_PAGE && reached === undefined; page *= 2) {
    const found = await probe(page);
    if (found === 'unordered') return undefined;
    if (found === 'reached') reached = page;
    else newer = page;
  }
  if (reached === undefined) return newer + 1;
  while (reached - newer > 1) {
    const middle = Math.floor((newer + reached) / 2);
    const found = await probe(middle);
    if (found === 'unordered') return undefined;
    if (found === 'reached') reached = middle;
    else newer = middle;
  }
  return reached;
}
