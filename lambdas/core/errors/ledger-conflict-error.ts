import { DropletSchedulerError } from './droplet-scheduler-error';

export interface LedgerConflictDetails {
  /** The ledger operation, e.g. `markStarted`. */
  readonly operation: string;
  /** The item's table key. */
  readonly key: { readonly pk: string; readonly sk: string };
  /** The state the write required, e.g. `status pending and attempts 1`. */
  readonly expected: string;
  /** The state found instead, e.g. `status in-progress, attempts 1`, or `no item`. */
  readonly found: string;
}

/**
 * A conditional ledger write found the item in another state than it required: another worker
 * got there first, or the item does not exist. Adapters translate DynamoDB's
 * `ConditionalCheckFailedException` into this; callers that expect races get result values instead.
 */
export class LedgerConflictError extends DropletSchedulerError {
  override name = 'LedgerConflictError' as const;

  readonly operation: string;
  readonly key: { readonly pk: string; readonly sk: string };
  readonly expected: string;
  readonly found: string;

  constructor(details: LedgerConflictDetails, options?: { cause?: unknown }) {
    super(
      'ledger_conflict',
      `ledger ${details.operation} on ${details.key.pk} ${details.key.sk}: expected ${details.expected}, found ${details.found}`,
      options,
    );
    this.operation = details.operation;
    this.key = details.key;
    this.expected = details.expected;
    this.found = details.found;
  }
}
