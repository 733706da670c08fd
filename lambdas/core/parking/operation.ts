import type { ActionRecord } from '../ledger/action-record';
import type { ItemId } from '../ledger/item-id';
import type { LedgerError } from '../ledger/ledger-record-base';
import type { RequestOptions } from '../ports/droplet-api';
import type { InitiateWorkItem } from '../use-cases/initiate-work-item';
import type { UseCaseDependencies } from '../use-cases/use-case-dependencies';
import type { OperationType } from '../workflow/workflow';

/** What one run of a parking operation came to; `start-operation` records it on the item. */
export type OperationResult =
  /** Done: the step is `completed`, and `result` says what it found or did. */
  | { readonly kind: 'done'; readonly result: string }
  /**
   * Not yet (a droplet still `new`, a volume still detaching): look again after `afterMs` of
   * DigitalOcean's time. `uncertain`: a request of this run may still reach DigitalOcean (its answer
   * was lost), so the next look waits until it surely has and shows.
   */
  | { readonly kind: 'wait'; readonly reason: string; readonly afterMs: number; readonly uncertain?: boolean }
  /** Not done, on purpose, and nothing of the workflow follows: the droplet stays as it is. */
  | { readonly kind: 'skip'; readonly reason: string }
  /** Failed for good: the step is `rejected`, and the workflow's `onFailure` runs. */
  | { readonly kind: 'fail'; readonly error: LedgerError }
  /** Past its time (`settleOnly`), its request found never done: the step is `timed-out`. */
  | { readonly kind: 'given-up'; readonly reason: string };

/** Everything an operation may use: the ports, its work item and the claim it runs under. */
export interface OperationContext {
  readonly deps: UseCaseDependencies;
  readonly work: InitiateWorkItem;
  readonly type: OperationType;
  readonly params: Readonly<Record<string, unknown>>;
  /** This step's ledger item, claimed. */
  readonly id: ItemId;
  readonly held: ActionRecord;
  /**
   * For every request: sent only before the claim's lease ends (less the send margin), and ahead
   * of queued work in the rate limiter, since it holds a claim.
   */
  readonly request: RequestOptions;
  /**
   * The step is past its time, and an earlier attempt's request (a destroy, a create, a snapshot's
   * deletion) may have landed though its answer never came: this attempt only records what is
   * already done, and sends nothing that changes anything. What it finds not done comes to
   * `giveUp`.
   */
  readonly settleOnly: boolean;
}

/**
 * A parking operation. It runs under its step's claim and may run again after a crash or a lost
 * answer, so it reads what is already done before it does anything, and does only what is left.
 */
export type Operation = (context: OperationContext) => Promise<OperationResult>;

/** A poll interval in DigitalOcean's time, for the waits of the operations. */
export const POLL_MS = 15_000;

export function done(result: string): OperationResult {
  return { kind: 'done', result };
}

export function wait(reason: string, afterMs = POLL_MS): OperationResult {
  return { kind: 'wait', reason, afterMs };
}

export function skip(reason: string): OperationResult {
  return { kind: 'skip', reason };
}

export function fail(code: string, message: string): OperationResult {
  return { kind: 'fail', error: { code, message } };
}

export function giveUp(reason: string): OperationResult {
  return { kind: 'given-up', reason };
}
