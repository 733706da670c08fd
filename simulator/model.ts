import type { ActionType } from '../lambdas/core/actions/action-catalog';
import type { BackupPolicy } from '../lambdas/core/actions/backup-policy';

/** A droplet as the simulator keeps it; `render.ts` turns it into DigitalOcean's JSON. */
export interface DropletRecord {
  id: number;
  name: string;
  /** `new` from `POST /v2/droplets` until its create action completes. */
  status: 'new' | 'active' | 'off';
  /** True while an action runs on the droplet; a new action is then refused with a 422. */
  locked: boolean;
  sizeSlug: string;
  memory: number;
  vcpus: number;
  /** Disk size in GB (grows only with `resize` and `disk: true`). */
  disk: number;
  /** Used disk in GB: the size of a snapshot and what its duration grows with. */
  usedDiskGb: number;
  /** Minutes a snapshot takes per GB of used disk (before timeScale), between 1 and 3. */
  snapshotMinutesPerGb: number;
  regionSlug: string;
  imageSlug: string | null;
  imageId: number;
  /**
   * The image the droplet was created from when it is not a public one (a snapshot or a backup),
   * copied at create time: DigitalOcean keeps showing it after the snapshot is deleted.
   */
  sourceImage?: SourceImage;
  tags: string[];
  ipv6: boolean;
  monitoring: boolean;
  vpcUuid: string;
  backups: boolean;
  backupPolicy: BackupPolicy | null;
  backupIds: number[];
  /** When the next backup is taken (epoch ms on the simulator's clock), while backups are on. */
  nextBackupAt: number | null;
  snapshotIds: number[];
  volumeIds: string[];
  kernelId: number | null;
  /**
   * Position in the account's history of droplets, never reused: the public and private addresses
   * derive from it, so a droplet created again (unparked) gets a new public IPv4, as from a pool.
   */
  index: number;
  createdAt: number;
}

/** A snapshot or backup image a droplet was created from, as `droplet.image` shows it. */
export interface SourceImage {
  id: number;
  name: string;
  type: 'snapshot' | 'backup';
  regions: string[];
  createdAt: number;
  minDiskSize: number;
  sizeGigabytes: number;
}

export type ActionStatus = 'in-progress' | 'completed' | 'errored';

/** How an action ends, decided when it starts so that fault injection is reproducible. */
export type ActionOutcome = 'completed' | 'errored' | 'stuck';

/** Action types that are not droplet actions one can request, but that DigitalOcean records. */
export type RecordedActionType = 'create' | 'assign_ip' | 'unassign_ip' | 'attach_volume' | 'detach_volume';

export interface ActionRecord {
  id: number;
  type: ActionType | RecordedActionType;
  status: ActionStatus;
  /** Epoch milliseconds on the simulator's clock. */
  startedAt: number;
  completedAt: number | null;
  /** Epoch milliseconds at which the action settles; Infinity when stuck. */
  dueAt: number;
  outcome: ActionOutcome;
  /** The droplet acted on or, for a reserved IP or volume action, the droplet it concerns. */
  dropletId: number;
  resourceType: 'droplet' | 'reserved_ip' | 'volume';
  /** `resource_id`: the droplet id, the reserved IPv4 as an integer, or null for a volume. */
  resourceId: number | null;
  regionSlug: string;
  /** The validated request body, kept for the effect applied on completion. */
  params: Record<string, unknown>;
}

export interface SnapshotRecord {
  id: number;
  name: string;
  /** The droplet it was taken from; it may since have been destroyed. */
  dropletId: number;
  createdAt: number;
  regionSlug: string;
  sizeGigabytes: number;
  minDiskSize: number;
}

/** A backup DigitalOcean took of a droplet; destroyed with the droplet. */
export type BackupRecord = SnapshotRecord;

export interface ReservedIpRecord {
  ip: string;
  regionSlug: string;
  dropletId: number | null;
  /** True while an assign or unassign runs. */
  locked: boolean;
  projectId: string;
}

export interface VolumeRecord {
  id: string;
  name: string;
  regionSlug: string;
  sizeGigabytes: number;
  dropletIds: number[];
  createdAt: number;
  tags: string[];
  /** True while an attach or detach runs. */
  locked: boolean;
}

export interface FirewallRecord {
  id: string;
  name: string;
  dropletIds: number[];
  tags: string[];
  createdAt: number;
}

export interface ProjectResourceRecord {
  /** `do:droplet:<id>`, `do:volume:<id>`, ... */
  urn: string;
  assignedAt: number;
}

export interface ProjectRecord {
  id: string;
  name: string;
  isDefault: boolean;
  createdAt: number;
  resources: ProjectResourceRecord[];
}

/**
 * One entry of the account's history: what a test needs to judge the order of irreversible
 * things after the fact (a droplet destroyed only after its snapshot was listed; one create per
 * unpark), which the state alone forgets once a droplet or snapshot is gone. Times are epoch
 * milliseconds on the simulator's clock.
 */
export type HistoryEvent =
  /** `POST /v2/droplets` answered 202 (whether or not the answer reached the client). */
  | {
      kind: 'droplet-created';
      at: number;
      dropletId: number;
      name: string;
      /** The image it was created from: a snapshot id when it comes from one. */
      imageId: number;
      tags: string[];
      /** Its `create` action. */
      actionId: number;
    }
  /** `DELETE /v2/droplets/{id}` answered 204. */
  | { kind: 'droplet-destroyed'; at: number; dropletId: number; name: string }
  /** A snapshot action completed: from now on the snapshot is listed, with its size. */
  | {
      kind: 'snapshot-taken';
      at: number;
      snapshotId: number;
      dropletId: number;
      name: string;
      sizeGigabytes: number;
    }
  /** `DELETE /v2/snapshots/{id}` answered 204. */
  | { kind: 'snapshot-deleted'; at: number; snapshotId: number; dropletId: number; name: string };
