import type { ActionType } from '../actions/action-catalog';
import type { DropletAction } from '../actions/droplet-action';

/** A droplet as the scheduler needs to see it; adapters map DigitalOcean's snake_case shape onto this. */
export interface Droplet {
  readonly id: number;
  readonly name: string;
  /** DigitalOcean's droplet status; `off` is powered off (and still billed). */
  readonly status: 'new' | 'active' | 'off' | 'archive';
  /** True while an action runs on the droplet. */
  readonly locked: boolean;
  readonly tags: readonly string[];
  readonly sizeSlug: string;
  /** Disk size in GB; snapshot duration grows with it. */
  readonly diskGb: number;
  readonly regionSlug: string;
}

export type ActionStatus = 'in-progress' | 'completed' | 'errored';

/** A DigitalOcean action, as returned by every action endpoint. */
export interface Action {
  readonly id: number;
  readonly type: ActionType | string;
  readonly status: ActionStatus;
  /** ISO 8601 UTC. */
  readonly startedAt: string;
  /** ISO 8601 UTC; null while in progress. */
  readonly completedAt: string | null;
  /** The droplet id for droplet actions. */
  readonly resourceId: number | null;
  readonly resourceType: string;
  readonly regionSlug: string | null;
}

export interface Snapshot {
  /** DigitalOcean returns integer ids for droplet snapshots; DELETE accepts either form. */
  readonly id: number | string;
  readonly name: string;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly sizeGigabytes: number;
}

/** A droplet action that DigitalOcean accepts by tag. */
export type BulkDropletAction = Extract<
  DropletAction,
  {
    type:
      | 'power_cycle'
      | 'power_on'
      | 'power_off'
      | 'shutdown'
      | 'enable_ipv6'
      | 'enable_backups'
      | 'disable_backups'
      | 'snapshot';
  }
>;

export interface ListOptions {
  /**
   * Items per page; DigitalOcean allows at most 200.
   * @default 200
   */
  readonly perPage?: number;
  /**
   * The page to start from (DigitalOcean's `page` parameter), to jump into a long list.
   * @default 1
   */
  readonly startPage?: number;
}

/** How one request may be sent. */
export interface RequestOptions {
  /**
   * Epoch milliseconds after which the request is not sent: it fails with a `RateLimitedError` of
   * status 0 (nothing sent), and an attempt in flight is aborted then. A request made under a claim
   * carries the claim's send deadline, so that none can reach DigitalOcean once the claim has ended.
   * @default none
   */
  readonly deadline?: number;
  /**
   * Served by the rate limiter before requests without it: a request made under a claim, which
   * should not wait behind the backlog while its claim runs out.
   * @default false
   */
  readonly urgent?: boolean;
}

export interface InitiateOptions extends RequestOptions {
  /**
   * Runs once the rate limiter has granted the slot, right before the request is sent, and may
   * answer the deadline it must go out by (see `deadline`). If it throws, nothing is sent, the slot
   * is given back, and the error is the call's. This is how a start takes the rate-limit slot first,
   * then the claim, then sends at once: a POST never waits for budget while it holds a claim.
   * @default nothing runs
   */
  readonly beforeSend?: () => Promise<number | void>;
}

/**
 * The port through which the domain talks to DigitalOcean's droplet and action endpoints.
 * Every list is an async iterator over pages, so that callers can stop after a bounded number.
 * Failures are always `DigitalOceanError` subclasses.
 */
export interface DropletApi {
  /** `POST /v2/droplets/{id}/actions`. */
  initiate(dropletId: number, action: DropletAction, options?: InitiateOptions): Promise<Action>;
  /** `POST /v2/droplets/actions?tag_name=` for the eight bulk-capable types: one action per droplet. */
  initiateByTag(tag: string, action: BulkDropletAction, options?: RequestOptions): Promise<Action[]>;
  /** `GET /v2/actions/{id}`. */
  getAction(actionId: number): Promise<Action>;
  /** `GET /v2/actions`: the account's actions, in an order DigitalOcean does not document. */
  listActions(options?: ListOptions): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets/{id}/actions`. */
  listDropletActions(
    dropletId: number,
    options?: ListOptions & RequestOptions,
  ): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets[?tag_name=]`. */
  listDroplets(filter?: { readonly tag?: string } & ListOptions): AsyncIterable<readonly Droplet[]>;
  /** `GET /v2/droplets/{id}`. */
  getDroplet(dropletId: number): Promise<Droplet>;
  /** `GET /v2/droplets/{id}/snapshots`. */
  listDropletSnapshots(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]>;
  /** `DELETE /v2/snapshots/{id}`. */
  deleteSnapshot(snapshotId: number | string): Promise<void>;
}
