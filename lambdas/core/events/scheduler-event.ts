import type { StepType } from '../workflow/workflow';

/** The `source` of every event droplet-scheduler publishes. */
export const EVENT_SOURCE = 'droplet-scheduler';

export const DETAIL_TYPES = {
  completed: 'Droplet Action Completed',
  failed: 'Droplet Action Failed',
  skipped: 'Droplet Action Skipped',
  snapshotDeleted: 'Droplet Snapshot Deleted',
} as const;

export type FailedStatus = 'errored' | 'timed-out' | 'rejected';

/**
 * The detail of `Droplet Action Completed`, `Droplet Action Failed` and `Droplet Action Skipped`
 * (see docs/events.md).
 */
export interface ActionEventDetail {
  /**
   * The same for every delivery of this event (the item and its final status): events are
   * published at least once, so consumers deduplicate on it.
   */
  readonly eventId: string;
  readonly policy: string;
  /** The schedule tick, ISO 8601 UTC: with policy and dropletId, the ledger key. */
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly dropletName: string | null;
  /** DigitalOcean's action id; null when DigitalOcean never accepted the action (rejected). */
  readonly actionId: number | null;
  /** A droplet action type, or a parking step (`inspect`, `destroy`, `create`, …). */
  readonly type: StepType;
  readonly status: 'completed' | 'skipped' | FailedStatus;
  /** Why the action was skipped (`skipped` only); null otherwise. */
  readonly reason?: string | null;
  /** For a later step of the droplet's workflow: its number; null for the tick's first action. */
  readonly step?: number | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly durationSeconds: number | null;
  /** Why it failed, with DigitalOcean's own message where it gave one; null on success. */
  readonly error: { readonly code: string; readonly message: string; readonly requestId?: string } | null;
  /** The action this one follows up (the `shutdown` a `power_off` fallback replaces). */
  readonly parentActionId?: number | null;
}

/** The detail of `Droplet Snapshot Deleted`, published for each snapshot retention removes. */
export interface SnapshotDeletedDetail {
  /** Stable across deliveries of this event, for deduplication. */
  readonly eventId: string;
  readonly policy: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly snapshotId: string;
  readonly snapshotName: string;
  readonly snapshotCreatedAt: string;
  readonly deletedAt: string;
  /** Which rule removed it. */
  readonly reason: 'keepLast' | 'maxAgeDays';
}

export type SchedulerEvent =
  | { readonly detailType: typeof DETAIL_TYPES.completed; readonly detail: ActionEventDetail }
  | { readonly detailType: typeof DETAIL_TYPES.failed; readonly detail: ActionEventDetail }
  | { readonly detailType: typeof DETAIL_TYPES.skipped; readonly detail: ActionEventDetail }
  | { readonly detailType: typeof DETAIL_TYPES.snapshotDeleted; readonly detail: SnapshotDeletedDetail };
