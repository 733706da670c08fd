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

/**
 * The port through which the domain talks to DigitalOcean's droplet and action endpoints.
 * Every list is an async iterator over pages, so that callers can stop after a bounded number.
 * Failures are always `DigitalOceanError` subclasses.
 */
export interface InitiateOptions {
  /**
   * Runs once the rate limiter has let the POST through, right before each time it is sent; if
   * it throws, the POST is not sent and the error is the call's. A caller holding a claim checks
   * here that it still holds it, however long the POST waited for its turn.
   * @default nothing runs
   */
  readonly beforeSend?: () => Promise<void>;
}

export interface DropletApi {
  /** `POST /v2/droplets/{id}/actions`. */
  initiate(dropletId: number, action: DropletAction, options?: InitiateOptions): Promise<Action>;
  /** `POST /v2/droplets/actions?tag_name=` for the eight bulk-capable types: one action per droplet. */
  initiateByTag(tag: string, action: BulkDropletAction): Promise<Action[]>;
  /** `GET /v2/actions/{id}`. */
  getAction(actionId: number): Promise<Action>;
  /** `GET /v2/actions`: the account's actions, newest first in practice (the order is not documented). */
  listActions(options?: ListOptions): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets/{id}/actions`. */
  listDropletActions(dropletId: number, options?: ListOptions): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets[?tag_name=]`. */
  listDroplets(filter?: { readonly tag?: string } & ListOptions): AsyncIterable<readonly Droplet[]>;
  /** `GET /v2/droplets/{id}`. */
  getDroplet(dropletId: number): Promise<Droplet>;
  /** `GET /v2/droplets/{id}/snapshots`. */
  listDropletSnapshots(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]>;
  /** `DELETE /v2/snapshots/{id}`. */
  deleteSnapshot(snapshotId: number | string): Promise<void>;
}
