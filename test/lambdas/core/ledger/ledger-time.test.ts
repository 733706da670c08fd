import { expiresAtFor, monthsBetween, toLedgerTime } from '../../../../lambdas/core/ledger/ledger-time';

describe('ledger time', () => {
  it('lists the months of a by-status range across a year boundary, both ends included', () => {
    expect(monthsBetween('2026-11-30T00:00:00.000Z', '2027-02-01T00:00:00.000Z')).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
  });

  it('refuses a by-status range of more than ten years rather than run a query per month', () => {
    expect(() => monthsBetween('1970-01-01T00:00:00.000Z', '2026-11-27T00:00:00.000Z')).toThrow(
      'to: expected at most 120 months after from',
    );
  });

  it('refuses a time whose ISO form would not sort as a string', () => {
    expect(() => toLedgerTime('+010000-01-01T00:00:00Z', 'dueAt')).toThrow(
      'dueAt: expected an ISO 8601 date-time',
    );
  });

  it('sets the TTL in epoch seconds, retention days after now', () => {
    expect(expiresAtFor(Date.parse('2026-01-01T00:00:00.999Z'), 400)).toBe(
      Date.parse('2027-02-05T00:00:00Z') / 1000,
    );
  });
});
