import type { ActionType } from '../actions/action-catalog';
import type { StepType, Workflow } from '../workflow/workflow';
import type { SnapshotRetention } from '../ledger/action-record';
import type { DropletSpec, ParkSnapshot, WorkflowRef } from '../ledger/lineage-record';
import type { RunMode } from '../ledger/run-record';

/** What the ledger needs to know to create a run: the first write of a tick. */
export interface NewRun {
  readonly kind: 'run';
  readonly policy: string;
  /** The policy's team (`audit --team`); absent for the default team. */
  readonly team?: string;
  /** The tick; any ISO 8601 spelling, stored as its minute (`canonicalTick`). */
  readonly scheduledTime: string;
  readonly type: ActionType;
  readonly mode: RunMode;
  /** The policy as dispatched, for whoever finishes an abandoned run. */
  readonly policyDefinition?: unknown;
}

/** What the ledger needs to know about one droplet's action (or later step), whatever becomes of it. */
export interface NewAction {
  readonly kind: 'action';
  readonly policy: string;
  /** The policy's team (`audit --team`); absent for the default team. */
  readonly team?: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
  /** Absent for the tick's first action; 1, 2, … for later steps. */
  readonly step?: number;
  readonly dropletName?: string;
  readonly region?: string;
  readonly type: StepType;
  /** The action's parameters besides `type`. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly diskGb?: number;
  readonly timeoutMinutes?: number;
  /** Until when a claim that DigitalOcean keeps refusing (a busy droplet) is tried again. */
  readonly timeoutAt?: string;
  /** The droplet's workflow in this tick, when it has more than one step. */
  readonly workflow?: Workflow;
  readonly retention?: SnapshotRetention;
  /** For a later step: the DigitalOcean action of the step before it. */
  readonly parentActionId?: number;
}

/** A snapshot that retention is about to delete. */
export interface NewDeletion {
  readonly kind: 'snapshot-deletion';
  readonly policy: string;
  /** The policy's team (`audit --team`); absent for the default team. */
  readonly team?: string;
  /** The tick whose snapshot triggered the retention. */
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly snapshotId: number | string;
  readonly snapshotName: string;
  readonly snapshotCreatedAt: string;
  readonly rule: 'keepLast' | 'maxAgeDays';
}

/** A droplet's lineage, first written when its first park has confirmed the snapshot. */
export interface NewLineage {
  readonly kind: 'lineage';
  /** The park policy. */
  readonly policy: string;
  readonly scheduledTime: string;
  readonly lineageId: number;
  readonly dropletId: number;
  readonly spec: DropletSpec;
  readonly snapshot: ParkSnapshot;
  readonly holder: WorkflowRef;
}

/** Which lineage a droplet id belongs to. */
export interface NewAlias {
  readonly kind: 'lineage-alias';
  readonly policy: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly lineageId: number;
}

/** A snooze, as `droplet-scheduler snooze` asks for it. */
export interface NewOverride {
  readonly kind: 'override';
  readonly policy: string;
  /** The policy's team (`audit --team`); absent for the default team. */
  readonly team?: string;
  /** Tells apart overrides of one policy (see `overrideItemId`). */
  readonly key: string;
  /** Absent: the whole policy. */
  readonly dropletId?: number;
  /** ISO 8601; ticks scheduled before it are skipped. */
  readonly until: string;
  readonly reason?: string;
  readonly createdBy?: string;
}

export type NewItem = NewRun | NewAction | NewDeletion | NewLineage | NewAlias | NewOverride;
