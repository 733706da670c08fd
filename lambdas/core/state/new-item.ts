import type { ActionType } from '../actions/action-catalog';
import type { SnapshotRetention } from '../ledger/action-record';
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
  readonly type: ActionType;
  /** The action's parameters besides `type`. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly mode: RunMode;
  readonly diskGb?: number;
  readonly timeoutMinutes?: number;
  /** Until when a claim that DigitalOcean keeps refusing (a busy droplet) is tried again. */
  readonly timeoutAt?: string;
  readonly fallback?: ActionType;
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

export type NewItem = NewRun | NewAction | NewDeletion;
