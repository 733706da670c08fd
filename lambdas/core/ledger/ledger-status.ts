/**
 * Where one ledger item stands. `pending`: claimed, DigitalOcean has not answered yet;
 * `in-progress`: DigitalOcean accepted it and gave an action id; then one of the terminal statuses.
 * `rejected` is DigitalOcean refusing the request (4xx with its message); `skipped` is nothing to do,
 * with a reason (for example "droplet already off").
 */
export const LEDGER_STATUSES = [
  'pending',
  'in-progress',
  'completed',
  'errored',
  'timed-out',
  'rejected',
  'skipped',
] as const;

export type LedgerStatus = (typeof LEDGER_STATUSES)[number];

/** Terminal statuses an operator asks about when something went wrong. */
export const FAILURE_STATUSES = ['errored', 'timed-out', 'rejected'] as const;

export function isLedgerStatus(value: unknown): value is LedgerStatus {
  return (LEDGER_STATUSES as readonly unknown[]).includes(value);
}
