import { policySortKeyRange, tableKey } from '../../../../lambdas/adapters/dynamodb/ledger-layout';
import { actionId, deletionId, runId } from '../../../../lambdas/core/ledger/item-id';

describe('the ledger identities and their DynamoDB layout', () => {
  it('given four spellings of one minute, when keys are built, then they are one key', () => {
    const spellings = [
      '2026-11-29T06:00Z',
      '2026-11-29T06:00:00Z',
      '2026-11-29T06:00:30Z',
      '2026-11-29T06:00:00.001Z',
    ];
    const keys = spellings.map((tick) => tableKey(actionId('every-6h', tick, 42)));
    expect(new Set(keys.map((key) => `${key.pk} ${key.sk}`))).toEqual(
      new Set(['POLICY#every-6h RUN#2026-11-29T06:00:00.000Z#DROPLET#42']),
    );
    expect(tableKey(actionId('nightly', '2026-11-27T03:00:00+01:00', 42))).toEqual({
      pk: 'POLICY#nightly',
      sk: 'RUN#2026-11-27T02:00:00.000Z#DROPLET#42',
    });
  });

  it('places runs, actions, later steps and deletions of one tick under one prefix', () => {
    const tick = '2026-11-27T02:00:00Z';
    expect([
      tableKey(runId('p', tick)).sk,
      tableKey(actionId('p', tick, 7, 1)).sk,
      tableKey(deletionId('p', tick, 7, 880011)).sk,
    ]).toEqual([
      'RUN#2026-11-27T02:00:00.000Z',
      'RUN#2026-11-27T02:00:00.000Z#DROPLET#7#STEP#1',
      'RUN#2026-11-27T02:00:00.000Z#DROPLET#7#DELETED#880011',
    ]);
  });

  it('bounds a policy range so that every item of the last tick is in and the next tick is out', () => {
    const { lower, upper } = policySortKeyRange('2026-11-20T00:00:00Z', '2026-11-27T02:00:00Z');
    const inside = [
      tableKey(runId('p', '2026-11-20T00:00:00Z')).sk,
      tableKey(actionId('p', '2026-11-27T02:00:00Z', 99999999, 3)).sk,
    ];
    const outside = [
      tableKey(runId('p', '2026-11-19T23:59:00Z')).sk,
      tableKey(runId('p', '2026-11-27T02:01:00Z')).sk,
    ];
    for (const sk of inside) expect(sk >= lower && sk <= upper).toBe(true);
    for (const sk of outside) expect(sk >= lower && sk <= upper).toBe(false);
  });

  test.each([
    [
      'an empty policy',
      () => runId('', '2026-11-27T02:00:00Z'),
      'policy: expected a non-empty policy name, got: ""',
    ],
    [
      'a tick that is not a date',
      () => runId('p', '2026-13-01'),
      'scheduledTime: expected an ISO 8601 date-time, got: "2026-13-01"',
    ],
    [
      'a droplet id that is not a positive integer',
      () => actionId('p', '2026-11-27T02:00:00Z', 4.5),
      'dropletId: expected a positive integer droplet id, got: 4.5',
    ],
  ])('refuses %s, naming the field and the value', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
