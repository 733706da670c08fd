import type { Action } from '../ports/droplet-api';

/** The order `GET /v2/actions` was seen in; DigitalOcean documents none. */
export type ObservedOrder = 'descending' | 'ascending' | 'unordered';

/**
 * What passes learn about the account's action list, kept across passes with the reconciler's
 * budget: the order the pages came in, and the page each open action was last seen on. The
 * memory is only ever a hint: every page read is checked, a moved action is searched for again,
 * and a page out of order turns the memory off until the list is seen in order again.
 */
export class ActionListMemory {
  #order: ObservedOrder | undefined;
  readonly #pageOf = new Map<number, number>();
  /** The lowest and highest id on each page read, as it was then. */
  readonly #ranges = new Map<number, { readonly low: number; readonly high: number }>();
  #deepest = 0;

  get order(): ObservedOrder | undefined {
    return this.#order;
  }

  /** Takes note of a page's order and of where the open actions on it are. */
  remember(page: number, actions: readonly Action[], open: ReadonlySet<number>): void {
    const order = orderOf(actions);
    if (order !== undefined) this.#order = order;
    if (actions.length > 0) {
      this.#deepest = Math.max(this.#deepest, page);
      const ids = actions.map((action) => action.id);
      this.#ranges.set(page, { low: Math.min(...ids), high: Math.max(...ids) });
    }
    for (const action of actions) if (open.has(action.id)) this.#pageOf.set(action.id, page);
  }

  /**
   * Where to start looking for `actionId`: where it was last seen; else the first page read whose
   * ids reach it; else just past the pages read.
   */
  hint(actionId: number): number {
    const seen = this.#pageOf.get(actionId);
    if (seen !== undefined) return seen;
    const pages = [...this.#ranges.entries()].sort(([a], [b]) => a - b);
    for (const [page, range] of pages) {
      if (this.#order === 'descending' && range.low <= actionId) return page;
      if (this.#order === 'ascending' && range.high >= actionId) return page;
    }
    // Beyond every page read: older than all of them in a newest-first list, newer in an oldest-first one.
    if (this.#order === 'descending') return this.#deepest + 1;
    return Math.max(1, this.#deepest);
  }

  /** Forgets actions that are no longer open, so that the memory stays as small as the backlog. */
  retain(open: ReadonlySet<number>): void {
    for (const id of this.#pageOf.keys()) if (!open.has(id)) this.#pageOf.delete(id);
  }
}

/** The order of one page by id, or undefined when it has fewer than two actions. */
export function orderOf(actions: readonly Action[]): ObservedOrder | undefined {
  if (actions.length < 2) return undefined;
  let descending = true;
  let ascending = true;
  for (let index = 1; index < actions.length; index += 1) {
    const [before, after] = [(actions[index - 1] as Action).id, (actions[index] as Action).id];
    descending &&= after < before;
    ascending &&= after > before;
  }
  return descending ? 'descending' : ascending ? 'ascending' : 'unordered';
}
