import { selectSnapshotsToDelete } from '../../../../lambdas/core/retention/select-snapshots-to-delete';
import type { Snapshot } from '../../../../lambdas/core/ports/droplet-api';

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 2, 0)).toISOString();
const own = (n: number): Snapshot => ({
  id: 100 + n,
  name: `nightly-42-202611${String(n).padStart(2, '0')}-0200`,
  createdAt: day(n),
  sizeGigabytes: 5,
  minDiskSize: 25,
  regions: ['fra1'],
});
const foreign = (n: number): Snapshot => ({
  id: 900 + n,
  name: `manual-before-upgrade-${n}`,
  createdAt: day(n),
  sizeGigabytes: 5,
  minDiskSize: 25,
  regions: ['fra1'],
});
const isOwn = (name: string) => name.startsWith('nightly-42-');
const now = new Date(day(20));

describe('selectSnapshotsToDelete', () => {
  it('given 10 own and 3 foreign snapshots and keepLast 7, deletes exactly the 3 oldest own ones', () => {
    const snapshots = [...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(own), ...[1, 2, 3].map(foreign)];

    const decision = selectSnapshotsToDelete({
      snapshots,
      isOwn,
      justMade: { id: 110, name: own(10).name },
      rule: { keepLast: 7 },
      now,
    });

    expect(decision).toEqual({
      kind: 'delete',
      snapshots: [own(3), own(2), own(1)].map((snapshot) => ({ snapshot, reason: 'keepLast' })),
    });
  });

  it('deletes own snapshots older than maxAgeDays and keeps younger ones', () => {
    const decision = selectSnapshotsToDelete({
      snapshots: [own(1), own(12), own(19), own(20), foreign(1)],
      isOwn,
      justMade: { id: 120, name: own(20).name },
      rule: { maxAgeDays: 7 },
      now,
    });

    expect(decision).toEqual({
      kind: 'delete',
      snapshots: [own(12), own(1)].map((snapshot) => ({ snapshot, reason: 'maxAgeDays' })),
    });
  });

  it('never deletes the snapshot just made, even with keepLast 0 and an old clock', () => {
    const decision = selectSnapshotsToDelete({
      snapshots: [own(5), own(6)],
      isOwn,
      justMade: { id: 106, name: own(6).name },
      rule: { keepLast: 0, maxAgeDays: 1 },
      now,
    });

    expect(decision.kind === 'delete' && decision.snapshots.map(({ snapshot }) => snapshot.id)).toEqual([
      105,
    ]);
  });

  it('holds everything while the new snapshot is not listed yet', () => {
    const decision = selectSnapshotsToDelete({
      snapshots: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(own),
      isOwn,
      justMade: { id: 110, name: own(10).name },
      rule: { keepLast: 2 },
      now,
    });

    expect(decision.kind).toBe('hold');
  });

  it('finds the new snapshot by name when its id is unknown', () => {
    const decision = selectSnapshotsToDelete({
      snapshots: [own(9), own(10)],
      isOwn,
      justMade: { name: own(10).name },
      rule: { keepLast: 1 },
      now,
    });
    expect(decision).toEqual({ kind: 'delete', snapshots: [{ snapshot: own(9), reason: 'keepLast' }] });
  });
});

describe('selectSnapshotsToDelete with snapshots made in the same second', () => {
  it('tells them apart by id, newest id last made', () => {
    const at = day(5);
    const snapshots = [3, 1, 2].map((n) => ({
      id: n,
      name: `nightly-42-${n}`,
      createdAt: at,
      sizeGigabytes: 1,
      minDiskSize: 25,
      regions: ['fra1'],
    }));

    const decision = selectSnapshotsToDelete({
      snapshots,
      isOwn,
      justMade: { id: 3, name: 'nightly-42-3' },
      rule: { keepLast: 2 },
      now,
    });

    expect(decision.kind === 'delete' && decision.snapshots.map(({ snapshot }) => snapshot.id)).toEqual([1]);
  });
});
