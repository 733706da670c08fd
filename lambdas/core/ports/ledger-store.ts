import type { ItemId } from '../ledger/item-id';
import type { LedgerItem, LedgerRecord } from '../ledger/ledger-record';
import type { TeamScope } from '../ledger/team-scope';

/**
 * One page of a query. A `cursor` means there may be more (the next page can be empty); no cursor
 * means the query is done.
 */
export interface Page<T> {
  readonly items: T[];
  readonly cursor?: string;
}

export interface PageOptions {
  /**
   * Most items in one page; between 1 and 1000.
   * @default 100
   */
  readonly limit?: number;
  /** The `cursor` of the previous page of the same query. */
  readonly cursor?: string;
}

export interface OpenDueOptions extends PageOptions {
  /**
   * Only items of these teams (an item without a `team` is the default team's). A page may then
   * hold fewer items than `limit`, or none, and still have a `cursor`: the adapter reads a bounded
   * number of index pages for one page of matches.
   * @default every item
   */
  readonly teams?: TeamScope;
}

/** Who owns a DigitalOcean action id: the one ledger item allowed to record it. */
export interface ActionOwner {
  readonly actionId: number;
  readonly owner: ItemId;
}

export type CreateResult<T> =
  { readonly created: true; readonly item: T } | { readonly created: false; readonly existing: T };

export type PutResult =
  | { readonly written: true; readonly item: LedgerItem }
  /** The stored version was not the one expected: someone else wrote first. `current` is a fresh read. */
  | { readonly written: false; readonly current: LedgerItem | undefined };

/**
 * What the state machine needs of a store, and nothing more: the persistence primitives of
 * Powertools' idempotency layer. Adapters decide nothing; `transition` decides, and these make its
 * answer stick exactly once. Every write is a single-item conditional write.
 */
export interface LedgerStore {
  /** One item by identity, strongly consistent. */
  get(id: ItemId): Promise<LedgerItem | undefined>;
  /** Writes a new item (`version` 1) unless one with its identity exists, which it then returns. */
  create(item: LedgerItem): Promise<CreateResult<LedgerItem>>;
  /** Replaces the item if its stored `version` is `expectedVersion` (`item.version` is the next one). */
  put(item: LedgerItem, expectedVersion: number): Promise<PutResult>;
  /**
   * Items with something left to do whose `dueAt` is at or before `now`, earliest due first: the
   * sparse `open` index.
   */
  findOpenDue(now: string, options?: OpenDueOptions): Promise<Page<LedgerRecord>>;
  /**
   * Makes `owner` the owner of a DigitalOcean action id unless someone already is, and answers who
   * is: the store enforces that one action belongs to one item, whoever adopts it.
   */
  claimActionOwner(owner: ActionOwner): Promise<ActionOwner>;
}
