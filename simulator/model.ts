import type { ActionType } from '../lambdas/core/actions/action-catalog';
import type { BackupPolicy } from '../lambdas/core/actions/backup-policy';

/** A droplet as the simulator keeps it; `render-droplet.ts` turns it into DigitalOcean's JSON. */
export interface DropletRecord {
  id: number;
  name: string;
  status: 'active' | 'off';
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
  tags: string[];
  ipv6: boolean;
  backups: boolean;
  backupPolicy: BackupPolicy | null;
  backupIds: number[];
  snapshotIds: number[];
  kernelId: number | null;
  /** Index in the fleet, used for deterministic addresses. */
  index: number;
  createdAt: number;
}

export type ActionStatus = 'in-progress' | 'completed' | 'errored';

/** How an action ends, decided when it starts so that fault injection is reproducible. */
export type ActionOutcome = 'completed' | 'errored' | 'stuck';

export interface ActionRecord {
  id: number;
  type: ActionType;
  status: ActionStatus;
  /** Epoch milliseconds on the simulator's clock. */
  startedAt: number;
  completedAt: number | null;
  /** Epoch milliseconds at which the action settles; Infinity when stuck. */
  dueAt: number;
  outcome: ActionOutcome;
  dropletId: number;
  regionSlug: string;
  /** The validated request body, kept for the effect applied on completion. */
  params: Record<string, unknown>;
}

export interface SnapshotRecord {
  id: number;
  name: string;
  dropletId: number;
  createdAt: number;
  regionSlug: string;
  sizeGigabytes: number;
  minDiskSize: number;
}
