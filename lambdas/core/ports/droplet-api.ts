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
  /** The VPC the droplet's private network is in. */
  readonly vpcUuid?: string;
  /** DigitalOcean's feature names, e.g. `backups`, `ipv6`, `monitoring`, `private_networking`. */
  readonly features: readonly string[];
  /** Image ids of its backups; destroying the droplet destroys them. */
  readonly backupIds: readonly number[];
  readonly snapshotIds: readonly number[];
  /** Ids of the volumes attached to it; a snapshot does not include them. */
  readonly volumeIds: readonly string[];
  /** Its public IPv4 address (from DigitalOcean's pool; a new one on every create), when it has one. */
  readonly publicIpv4?: string;
  /** The id of the image it was created from (a public image, a snapshot or a backup). */
  readonly imageId?: number;
  /** The size's price in US dollars, as `GET /v2/sizes` gives it. */
  readonly priceHourly?: number;
  readonly priceMonthly?: number;
  readonly memoryMb?: number;
  readonly vcpus?: number;
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
  /** The smallest disk, in GB, a droplet created from it may have. */
  readonly minDiskSize: number;
  /** The regions it can be used in. */
  readonly regions: readonly string[];
  /** The id of the droplet it was taken from, when DigitalOcean says (the account's snapshot list does). */
  readonly resourceId?: number;
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

/** How a list is read; every page is sent as `RequestOptions` say. */
export interface ListOptions extends RequestOptions {
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
  getAction(actionId: number, options?: RequestOptions): Promise<Action>;
  /** `GET /v2/actions`: the account's actions, in an order DigitalOcean does not document. */
  listActions(options?: ListOptions & RequestOptions): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets/{id}/actions`. */
  listDropletActions(
    dropletId: number,
    options?: ListOptions & RequestOptions,
  ): AsyncIterable<readonly Action[]>;
  /** `GET /v2/droplets[?tag_name=|?name=]`. */
  listDroplets(
    filter?: {
      readonly tag?: string;
      /** An exact name, case-insensitive (DigitalOcean's `name`; not with `tag`). */
      readonly name?: string;
    } & ListOptions,
  ): AsyncIterable<readonly Droplet[]>;
  /** `GET /v2/droplets/{id}`. */
  getDroplet(dropletId: number, options?: RequestOptions): Promise<Droplet>;
  /** `GET /v2/droplets/{id}/snapshots`. */
  listDropletSnapshots(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]>;
  /** `DELETE /v2/snapshots/{id}`. */
  deleteSnapshot(snapshotId: number | string, options?: RequestOptions): Promise<void>;
  /**
   * `POST /v2/droplets`: one droplet, `new` until its create action completes. Never retried once
   * it may have reached DigitalOcean (a 5xx or a timeout surfaces with `outcomeUnknown`): look the
   * droplet up by name or tag before trying again.
   */
  createDroplet(spec: NewDroplet, options?: RequestOptions): Promise<Droplet>;
  /**
   * `DELETE /v2/droplets/{id}`, which also destroys its backups. A 404 surfaces as
   * `NotFoundError`, also on a retry after an attempt whose answer was lost (it is then gone);
   * a droplet with an action running is refused with a `PendingEventError`.
   */
  deleteDroplet(dropletId: number, options?: RequestOptions): Promise<void>;
  /** `GET /v2/sizes`, with prices and the regions each size is offered in. */
  listSizes(options?: ListOptions): AsyncIterable<readonly Size[]>;
  /** `GET /v2/snapshots/{id}`. */
  getSnapshot(snapshotId: number | string, options?: RequestOptions): Promise<Snapshot>;
  /** `GET /v2/snapshots?resource_type=droplet`: every droplet snapshot of the account, its droplet destroyed or not. */
  listSnapshots(options?: ListOptions): AsyncIterable<readonly Snapshot[]>;
  /** `GET /v2/reserved_ips`. */
  listReservedIps(options?: ListOptions): AsyncIterable<readonly ReservedIp[]>;
  /** `POST /v2/reserved_ips/{ip}/actions` `assign`: an action to follow; never retried once it may have been received. */
  assignReservedIp(ip: string, dropletId: number, options?: RequestOptions): Promise<Action>;
  /** `POST /v2/reserved_ips/{ip}/actions` `unassign`. */
  unassignReservedIp(ip: string): Promise<Action>;
  /** `GET /v2/volumes`. */
  listVolumes(options?: ListOptions): AsyncIterable<readonly Volume[]>;
  /** `GET /v2/volumes/{id}`. */
  getVolume(volumeId: string, options?: RequestOptions): Promise<Volume>;
  /** `POST /v2/volumes/{id}/actions` `attach` (droplet and volume in `region`): an action to follow. */
  attachVolume(
    volumeId: string,
    dropletId: number,
    region: string,
    options?: RequestOptions,
  ): Promise<Action>;
  /** `POST /v2/volumes/{id}/actions` `detach`. */
  detachVolume(
    volumeId: string,
    dropletId: number,
    region: string,
    options?: RequestOptions,
  ): Promise<Action>;
  /** `GET /v2/firewalls`. */
  listFirewalls(options?: ListOptions): AsyncIterable<readonly Firewall[]>;
  /** `POST /v2/firewalls/{id}/droplets`; adding a droplet already there changes nothing, so it is retried like a read. */
  addDropletsToFirewall(firewallId: string, dropletIds: number[], options?: RequestOptions): Promise<void>;
  /** `DELETE /v2/firewalls/{id}/droplets`. */
  removeDropletsFromFirewall(firewallId: string, dropletIds: number[]): Promise<void>;
  /** `GET /v2/projects`. */
  listProjects(options?: ListOptions): AsyncIterable<readonly Project[]>;
  /** `GET /v2/projects/{id}/resources`: URNs such as `do:droplet:4126873`. */
  listProjectResources(projectId: string, options?: ListOptions): AsyncIterable<readonly string[]>;
  /**
   * `POST /v2/projects/{id}/resources`; moves the resources into the project, so it is retried like
   * a read. A URN DigitalOcean answers `not_found` for surfaces as a `NotFoundError` naming it.
   */
  assignProjectResources(projectId: string, urns: string[], options?: RequestOptions): Promise<void>;
  /** `GET /v2/droplets/{id}/backups`. */
  listDropletBackups(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]>;
  /** `GET /v2/droplets/{id}/kernels`. */
  listDropletKernels(dropletId: number, options?: ListOptions): AsyncIterable<readonly Kernel[]>;
}

/** What `createDroplet` asks for; the rest is DigitalOcean's default. */
export interface NewDroplet {
  /** A hostname: letters, digits, `.` and `-`. DigitalOcean does not require names to be unique. */
  readonly name: string;
  readonly region: string;
  readonly size: string;
  /** A snapshot or backup id, a public image id, or a public image slug. */
  readonly image: number | string;
  /** @default [] */
  readonly tags?: readonly string[];
  /** @default the region's default VPC */
  readonly vpcUuid?: string;
  /** @default false */
  readonly ipv6?: boolean;
  /** @default false */
  readonly monitoring?: boolean;
  /** @default false */
  readonly backups?: boolean;
}

export interface Size {
  readonly slug: string;
  /** US dollars; a month of use never costs more. */
  readonly priceMonthly: number;
  readonly priceHourly: number;
  /** The regions it can be created in. */
  readonly regions: readonly string[];
  /** False when DigitalOcean no longer offers it at all. */
  readonly available: boolean;
  readonly diskGb: number;
  readonly memoryMb: number;
  readonly vcpus: number;
}

export interface ReservedIp {
  readonly ip: string;
  readonly regionSlug: string;
  readonly dropletId: number | null;
}

export interface Volume {
  readonly id: string;
  readonly name: string;
  readonly regionSlug: string;
  readonly sizeGigabytes: number;
  readonly dropletIds: readonly number[];
}

export interface Firewall {
  readonly id: string;
  readonly name: string;
  /** Droplets named by id: a destroyed droplet drops out of this list. */
  readonly dropletIds: readonly number[];
  /** Droplets named by tag keep their membership through a destroy and a create. */
  readonly tags: readonly string[];
}

export interface Project {
  readonly id: string;
  readonly name: string;
  /** New droplets land in the default project. */
  readonly isDefault: boolean;
}

export interface Kernel {
  readonly id: number;
  readonly name: string;
  readonly version: string;
}
