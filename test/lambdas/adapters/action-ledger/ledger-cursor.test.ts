import { decodeLedgerCursor, encodeLedgerCursor } from '../../../../lambdas/adapters/dynamodb/ledger-cursor';

describe('ledger cursor', () => {
  it('reads back the position it wrote, for the same query', () => {
    const position = {
      scope: 'by-droplet|42||',
      partition: 0,
      after: { pk: 'POLICY#p', sk: 'RUN#x', claimedAt: 't' },
    };
    expect(decodeLedgerCursor(encodeLedgerCursor(position), 'by-droplet|42||')).toEqual(position);
  });

  test.each([
    ['another query', encodeLedgerCursor({ scope: 'open|1', partition: 0 })],
    ['a negative partition', encodeLedgerCursor({ scope: 'by-droplet|42||', partition: -1 })],
    ['text that is not a cursor', 'not-a-cursor'],
  ])('refuses a cursor of %s', (_, cursor) => {
    expect(() => decodeLedgerCursor(cursor, 'by-droplet|42||')).toThrow(
      'cursor: expected a cursor returned by the same query (by-droplet|42||)',
    );
  });
});
