import { DropletSchedulerError } from '../../core/errors/droplet-scheduler-error';

/**
 * Any other DynamoDB failure (throttling past the SDK's retries, a missing table, no network),
 * translated so that the SDK's exception types never leave the adapter.
 */
export function ledgerStoreError(
  operation: string,
  tableName: string,
  error: unknown,
): DropletSchedulerError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DropletSchedulerError(
    'ledger_unavailable',
    `DynamoDB ${operation} on table '${tableName}' failed: ${reason}`,
    { cause: error },
  );
}

export function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
