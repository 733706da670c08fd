import { ledgerInputError } from './ledger-input-error';

const DAY_SECONDS = 86_400;

/**
 * The one time format of the ledger: ISO 8601 UTC with milliseconds, as `Date#toISOString` writes it.
 * Keys, index sort keys and range bounds all use it, so that string order is time order and the
 * same tick always yields the same key (`2026-11-27T02:00:00Z` and `...00.000Z` are one tick).
 */
export function toLedgerTime(value: string | number | Date, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  const time = date.getTime();
  // Years past 9999 would print as +010000 and break string order.
  if (Number.isNaN(time) || time < 0 || time >= Date.UTC(10_000, 0, 1)) {
    throw ledgerInputError(field, value instanceof Date ? String(value) : value, 'an ISO 8601 date-time');
  }
  return date.toISOString();
}

/**
 * The one form of a tick, at EventBridge Scheduler's precision of one minute: the instant rounded
 * down to its minute. `06:00Z`, `06:00:00.000Z`, `06:00:30Z` and `06:00:00.001Z` are one tick, so a
 * tick entered twice in different spellings (a schedule's input, `run --at`, a local timer) keeps
 * one idempotency key.
 */
export function canonicalTick(value: string | number | Date, field = 'scheduledTime'): string {
  const time = Date.parse(toLedgerTime(value, field));
  return new Date(time - (time % 60_000)).toISOString();
}

/** `yyyy-mm` of a ledger time: the month partition of the `by-status` index. */
export function monthOf(ledgerTime: string): string {
  return ledgerTime.slice(0, 7);
}

/** A by-status range wider than this is almost surely a mistake (`from: 0`), and would cost one query per month. */
export const MAX_STATUS_QUERY_MONTHS = 120;

/** Every `yyyy-mm` from the month of `from` to the month of `to`, both included, oldest first. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = monthOf(to);
  for (;;) {
    const current = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
    if (current > last) return months;
    if (months.length === MAX_STATUS_QUERY_MONTHS) {
      throw ledgerInputError('to', to, `at most ${MAX_STATUS_QUERY_MONTHS} months after from (${from})`);
    }
    months.push(current);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
}

/** The TTL attribute's value: epoch seconds, `retentionDays` after `nowMs`. */
export function expiresAtFor(nowMs: number, retentionDays: number): number {
  return Math.floor(nowMs / 1000) + Math.round(retentionDays * DAY_SECONDS);
}
