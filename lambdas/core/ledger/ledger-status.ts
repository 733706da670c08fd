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

/** Statuses the reconciler still has to follow; items in them are on the sparse `open` index. */
export const OPEN_STATUSES = ['pending', 'in-progress'] as const;

export type OpenStatus = (typeof OPEN_STATUSES)[number];

/** Statuses that never change once written. */
export const TERMINAL_STATUSES = ['completed', 'errored', 'timed-out', 'rejected', 'skipped'] as const;

export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

/** Terminal statuses an operator asks about when something went wrong. */
export const FAILURE_STATUSES = ['errored', 'timed-out', 'rejected'] as const;

export type FailureStatus = (typeof FAILURE_STATUSES)[number];

export function isLedgerStatus(value: unknown): value is LedgerStatus {
  return (LEDGER_STATUSES as readonly unknown[]).includes(value);
}

export function isTerminal(status: LedgerStatus): status is TerminalStatus {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export function isOpen(status: LedgerStatus): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export function isFailure(status: LedgerStatus): status is FailureStatus {
  return (FAILURE_STATUSES as readonly string[]).includes(status);
}
