import type { ActionType } from '../actions/action-catalog';
import type { LedgerRecordBase } from './ledger-record-base';

/**
 * Where a run (one tick of one policy) stands: `dispatching` once claimed, `dispatched` when every
 * target has been started or queued, `skipped` when the tick had nothing to do (a skip date, no
 * targets), `failed` when the dispatch gave up.
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

/** The summary item of one tick: `sk = RUN#<scheduledTime>`. */
export interface RunRecord extends LedgerRecordBase {
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
  /** `<aws.scheduler.execution-id>` of the delivery that claimed the run; it changes on retries, so it is only informative. */
  readonly executionId?: string;
  /**
   * While `dispatching`: when the run counts as abandoned (its dispatch crashed) and the reconciler
   * finishes it. The run sits on the `open` index until then; any other status takes it off.
   */
  readonly dueAt?: string;
  /** The policy as dispatched, so that whoever finishes an abandoned run needs no policy file. */
  readonly policyDefinition?: unknown;
}
