import {
  actionKey,
  followUpKey,
  openShardOf,
  policySortKeyRange,
  runKey,
  snapshotDeletionKey,
} from '../../../../lambdas/core/ledger/ledger-keys';

describe('ledger keys', () => {
  it('given two spellings of one tick, when keys are built, then they are the same key', () => {
    expect(actionKey('nightly', '2026-11-27T02:00:00Z', 42)).toEqual(
      actionKey('nightly', '2026-11-27T02:00:00.000Z', 42),
    );
    expect(actionKey('nightly', '2026-11-27T03:00:00+01:00', 42)).toEqual({
      pk: 'POLICY#nightly',
      sk: 'RUN#2026-11-27T02:00:00.000Z#DROPLET#42',
    });
  });

  it('places runs, actions, follow-ups and deletions of one tick under one prefix', () => {
    const tick = '2026-11-27T02:00:00Z';
    expect([
      runKey('p', tick).sk,
      followUpKey('p', tick, 7, 'power_off').sk,
      snapshotDeletionKey('p', tick, 7, 880011).sk,
    ]).toEqual([
      'RUN#2026-11-27T02:00:00.000Z',
      'RUN#2026-11-27T02:00:00.000Z#DROPLET#7#FOLLOWUP#power_off',
      'RUN#2026-11-27T02:00:00.000Z#DROPLET#7#DELETED#880011',
    ]);
  });

  it('bounds a policy range so that every item of the last tick is in and the next tick is out', () => {
    const { lower, upper } = policySortKeyRange('2026-11-20T00:00:00Z', '2026-11-27T02:00:00Z');
    const inside = [
      runKey('p', '2026-11-20T00:00:00Z').sk,
      followUpKey('p', '2026-11-27T02:00:00Z', 99999999, 'power_off').sk,
    ];
    const outside = [runKey('p', '2026-11-19T23:59:59.999Z').sk, runKey('p', '2026-11-27T02:00:00.001Z').sk];
    for (const sk of inside) expect(sk >= lower && sk <= upper).toBe(true);
    for (const sk of outside) expect(sk >= lower && sk <= upper).toBe(false);
  });

  it('spreads items evenly over open shards and keeps one item on one shard', () => {
    const counts = [0, 0, 0, 0];
    for (let dropletId = 1; dropletId <= 4000; dropletId += 1) {
      const key = actionKey('nightly', '2026-11-27T02:00:00Z', dropletId);
      const shard = openShardOf(key, 4);
      expect(openShardOf({ ...key }, 4)).toBe(shard);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  test.each([
    [
      'an empty policy',
      () => runKey('', '2026-11-27T02:00:00Z'),
      'policy: expected a non-empty policy name, got: ""',
    ],
    [
      'a tick that is not a date',
      () => runKey('p', '2026-13-01'),
      'scheduledTime: expected an ISO 8601 date-time, got: "2026-13-01"',
    ],
    [
      'a droplet id that is not a positive integer',
      () => actionKey('p', '2026-11-27T02:00:00Z', 4.5),
      'dropletId: expected a positive integer droplet id, got: 4.5',
    ],
  ])('refuses %s, naming the field and the value', (_, build, message) => {
    expect(build).toThrow(message);
  });
});
