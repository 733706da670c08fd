import type { ActionType } from '../actions/action-catalog';
import type { ClaimFields, LedgerRecordBase } from './ledger-record-base';

/**
 * Where a run (one tick of one policy) stands: `dispatching` while a dispatch holds it,
 * `dispatched` when every target has been started or queued, `skipped` when the tick had nothing to
 * do (a skip date, no targets), `failed` when a dispatch gave up (it can be run again).
 */
export type RunStatus = 'dispatching' | 'dispatched' | 'skipped' | 'failed';

/** How a run starts its actions: one `POST /v2/droplets/actions?tag_name=` or one POST per droplet. */
export type RunMode = 'bulk' | 'per-droplet';

/** Tallies a dispatch keeps on its run item; each is optional so that a dispatch records what it knows. */
export interface RunCounts {
  /** Work items (droplets) queued for the initiate step. */
  readonly queued?: number;
  /** Actions DigitalOcean accepted. */
  readonly started?: number;
  /** Droplets DigitalOcean refused. */
  readonly rejected?: number;
  /** Droplets with nothing to do. */
  readonly skipped?: number;
}

/** The summary item of one tick. */
export interface RunRecord extends LedgerRecordBase, ClaimFields {
  readonly kind: 'run';
  readonly status: RunStatus;
  /** The policy's action type. */
  readonly type: ActionType;
  readonly mode?: RunMode;
  /** Droplets the targets resolved to. */
  readonly targetCount?: number;
  readonly counts?: RunCounts;
  /** Why the run was skipped or failed. */
  readonly reason?: string;
  /** `<aws.scheduler.execution-id>` of the latest delivery that held the run; only informative. */
  readonly executionId?: string;
  /** The policy as dispatched, so that whoever finishes an abandoned run needs no policy file. */
  readonly policyDefinition?: unknown;
}
