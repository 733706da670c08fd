import { DropletSchedulerError } from '../errors/droplet-scheduler-error';

/**
 * A ledger call got an argument it cannot use (a time that is not a date, a cursor from another
 * query, a limit out of range). A bug in the caller, never a state of the table.
 */
export function ledgerInputError(field: string, received: unknown, expected: string): DropletSchedulerError {
  return new DropletSchedulerError(
    'ledger_input_invalid',
    `${field}: expected ${expected}, got: ${JSON.stringify(received) ?? String(received)}`,
  );
}
