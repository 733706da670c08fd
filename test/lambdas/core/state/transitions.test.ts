import type { LedgerItem } from '../../../../lambdas/core/ledger/ledger-record';
import type { NewAlias, NewItem, NewLineage, NewOverride } from '../../../../lambdas/core/state/new-item';
import { Timing } from '../../../../lambdas/core/state/timing';
import {
  TRANSITIONS,
  transition,
  type LedgerEvent,
  type Row,
  type State,
} from '../../../../lambdas/core/state/transitions';

const NOW = new Date('2026-11-27T02:00:30.000Z');
const timing = new Timing();
const context = { now: NOW, timing };
const TICK = '2026-11-27T02:00:00.000Z';
const HOLDER = { policy: 'p-park', scheduledTime: TICK, dropletId: 7 };
const OTHER_HOLDER = { policy: 'p-unpark', scheduledTime: TICK, dropletId: 7 };
/** A shutdown with its power_off fallback, as a workflow. */
const FALLBACK = {
  steps: [
    { type: 'shutdown', timeoutMinutes: 5 },
    { type: 'power_off', timeoutMinutes: 5, afterFailure: true, unlessDroplet: 'off' },
  ],
} as const;

const INIT: Record<Row['kind'], NewItem> = {
  run: { kind: 'run', policy: 'p', scheduledTime: TICK, type: 'shutdown', mode: 'per-droplet' },
  action: {
    kind: 'action',
    policy: 'p',
    scheduledTime: TICK,
    dropletId: 7,
    type: 'shutdown',
    mode: 'per-droplet',
    timeoutAt: TICK,
  },
  'snapshot-deletion': {
    kind: 'snapshot-deletion',
    policy: 'p',
    scheduledTime: TICK,
    dropletId: 7,
    snapshotId: 9,
    snapshotName: 'p--7-20261101-0200',
    snapshotCreatedAt: TICK,
    rule: 'keepLast',
  },
  lineage: {
    kind: 'lineage',
    policy: 'p-park',
    scheduledTime: TICK,
    lineageId: 7,
    dropletId: 7,
    spec: {
      name: 'web-1',
      region: 'fra1',
      size: 's-1vcpu-1gb',
      tags: [],
      ipv6: false,
      monitoring: false,
      backups: false,
      volumeIds: [],
      firewallIds: [],
    },
    snapshot: { id: 21, name: 'p-park--park--7-20261127-0200', sizeGb: 20 },
    holder: HOLDER,
  },
  'lineage-alias': {
    kind: 'lineage-alias',
    policy: 'p-park',
    scheduledTime: TICK,
    dropletId: 7,
    lineageId: 7,
  },
  override: { kind: 'override', policy: 'p', key: 'k3x9q2', until: '2026-11-27T22:00:00.000Z' },
};

const STATES: Record<Row['kind'], readonly State[]> = {
  run: ['absent', 'dispatching', 'dispatched', 'skipped', 'failed'],
  action: ['absent', 'pending', 'in-progress', 'completed', 'errored', 'timed-out', 'rejected', 'skipped'],
  'snapshot-deletion': ['absent', 'pending', 'completed', 'rejected'],
  lineage: ['absent', 'parking', 'parked', 'unparking', 'active'],
  'lineage-alias': ['absent', 'recorded'],
  override: ['absent', 'active', 'cancelled'],
};

const OPEN: readonly State[] = ['pending', 'in-progress', 'dispatching'];

/**
 * Every way an item of a kind can stand, as far as a guard can tell: lease (and an override's
 * until) ended or not, attempt, workflow, outbox, holder.
 */
function items(kind: Row['kind'], state: State): (LedgerItem | undefined)[] {
  if (state === 'absent') return [undefined];
  const variants: LedgerItem[] = [];
  for (const leaseUntil of ['2026-11-27T02:00:10.000Z', '2026-11-27T02:01:00.000Z']) {
    for (const workflow of [undefined, FALLBACK] as const) {
      for (const outbox of [undefined, ['event']] as const) {
        for (const type of ['shutdown', 'snapshot'] as const) {
          const holder = type === 'shutdown' ? HOLDER : OTHER_HOLDER;
          variants.push({
            ...(INIT[kind] as object),
            kind,
            type,
            status: state,
            version: 3,
            attempts: 2,
            leaseUntil,
            until: leaseUntil,
            claimedAt: TICK,
            updatedAt: TICK,
            actionId: 11,
            timeoutAt: TICK,
            retention: type === 'snapshot' ? { keepLast: 3 } : undefined,
            workflow,
            outbox,
            ...(kind === 'lineage'
              ? {
                  holder,
                  dropletIds: [7],
                  snapshots: workflow ? [] : [{ id: 21, name: 'x', sizeGb: 20 }],
                  spells: [],
                }
              : {}),
            dueAt: OPEN.includes(state) || outbox ? TICK : undefined,
          } as unknown as LedgerItem);
        }
      }
    }
  }
  return variants;
}

/** Every event, with holders that hold the attempt and ones that do not. */
function events(kind: Row['kind']): LedgerEvent[] {
  const init = INIT[kind];
  const action = { actionId: 11, startedAt: TICK, dueAt: '2026-11-27T02:01:00.000Z' };
  const error = { code: 'x', message: 'x' };
  const list: LedgerEvent[] = [
    { type: 'claim', init },
    { type: 'claim', init, newer: { policy: 'q', scheduledTime: TICK, type: 'power_on' } },
    { type: 'bulk-started', init, action },
    { type: 'check', actionId: 11, dueAt: '2026-11-27T02:02:00.000Z' },
    { type: 'check', actionId: 12, dueAt: '2026-11-27T02:02:00.000Z' },
    { type: 'completed', actionId: 11, completedAt: TICK },
    { type: 'completed', actionId: 11, completedAt: TICK, dropletStatus: 'off' },
    { type: 'completed', actionId: 11, completedAt: TICK, dropletStatus: 'active' },
    { type: 'skip', init, reason: 'r', stop: true },
    { type: 'destroyed', holder: HOLDER, dropletId: 7, at: TICK },
    { type: 'destroyed', holder: OTHER_HOLDER, dropletId: 7, at: TICK },
    { type: 'reserve-create', holder: HOLDER, scheduledTime: TICK, holderFinished: false },
    { type: 'reserve-create', holder: OTHER_HOLDER, scheduledTime: TICK, holderFinished: false },
    { type: 'reserve-create', holder: OTHER_HOLDER, scheduledTime: TICK, holderFinished: true },
    { type: 'created', holder: HOLDER, dropletId: 9, at: TICK },
    { type: 'created', holder: OTHER_HOLDER, dropletId: 9, at: TICK },
    { type: 'release-create', holder: HOLDER },
    { type: 'release-create', holder: OTHER_HOLDER },
    { type: 'snapshots-pruned', ids: [21] },
    { type: 'snapshots-pruned', ids: [22] },
    // An event that creates an item creates one of its own init's kind.
    ...(kind === 'lineage'
      ? ([
          { type: 'park-recorded', init: INIT.lineage as NewLineage },
          { type: 'park-recorded', init: { ...(INIT.lineage as NewLineage), dropletId: 8 } },
        ] as const)
      : []),
    ...(kind === 'lineage-alias'
      ? ([{ type: 'alias', init: INIT['lineage-alias'] as NewAlias }] as const)
      : []),
    { type: 'errored', actionId: 11, completedAt: TICK, error },
    { type: 'errored', actionId: 11, completedAt: TICK, error, alreadyThere: true },
    { type: 'timed-out', actionId: 11, error },
    { type: 'effects-done', done: ['event', 'next-step', 'retention'] },
    { type: 'fence' },
    { type: 'skip', init, reason: 'r' },
    { type: 'reject', init, error },
    { type: 'cancel' },
  ];
  if (kind === 'override') list.push({ type: 'snooze', init: init as NewOverride });
  for (const attempts of [2, 1]) {
    list.push(
      { type: 'release', attempts, retryAt: '2026-11-27T02:05:00.000Z', lastAttempt: 'not-sent' },
      { type: 'started', attempts, action },
      { type: 'adopted', attempts, action, owned: true },
      { type: 'adopted', attempts, action, owned: false },
      { type: 'skip', attempts, reason: 'r' },
      { type: 'reject', attempts, error },
      { type: 'give-up', attempts, error },
      { type: 'dispatched', attempts, mode: 'bulk', targetCount: 1, counts: {} },
      { type: 'fail', attempts, reason: 'r', retryAt: '2026-11-27T02:05:00.000Z' },
      { type: 'deleted', attempts, deletedAt: TICK },
      { type: 'done', attempts, result: 'r' },
      { type: 'skip', attempts, reason: 'r', stop: true },
    );
  }
  return list;
}

const TERMINAL: readonly State[] = [
  'dispatched',
  'skipped',
  'completed',
  'errored',
  'timed-out',
  'rejected',
  'cancelled',
];

describe('the state machine, over every item state and every event', () => {
  const kinds = Object.keys(STATES) as Row['kind'][];
  const cases = kinds.flatMap((kind) =>
    STATES[kind].flatMap((state) =>
      items(kind, state).flatMap((item) => events(kind).map((event) => ({ kind, state, item, event }))),
    ),
  );
  const used = new Set<Row>();
  const outcomes = cases.map((testCase) => ({
    ...testCase,
    result: transition(testCase.item, testCase.event, context),
  }));
  for (const { result } of outcomes) if (result.ok) used.add(result.row);

  it(`explores ${cases.length} combinations`, () => {
    expect(cases.length).toBeGreaterThan(3_000);
  });

  it('takes only rows of the table, and every row of the table is taken by some combination', () => {
    for (const { kind, state, event, result } of outcomes) {
      if (!result.ok) continue;
      expect([kind, state, event.type, result.item.status]).toEqual([
        result.row.kind,
        result.row.from,
        result.row.on,
        result.row.to,
      ]);
    }
    expect(TRANSITIONS.filter((row) => !used.has(row))).toEqual([]);
  });

  it('never moves a finished item to another status; only its outbox empties', () => {
    for (const { state, result } of outcomes) {
      if (!result.ok || !TERMINAL.includes(state)) continue;
      expect(result.item.status).toBe(state);
      expect(result.row.on).toBe('effects-done');
    }
  });

  it('bumps the version by exactly one on every write, and stamps it with the time of the write', () => {
    for (const { item, result } of outcomes) {
      if (!result.ok) continue;
      expect(result.item.version).toBe((item?.version ?? 0) + 1);
      expect(result.item.updatedAt).toBe(NOW.toISOString());
    }
  });

  it('refuses every write that needs the attempt from a caller who does not hold it', () => {
    for (const { item, event, result } of outcomes) {
      if (item === undefined || !('attempts' in event) || event.attempts === undefined) continue;
      if (item.kind === 'override') continue;
      if (event.attempts !== (item as { attempts: number }).attempts) expect(result.ok).toBe(false);
    }
  });

  it('keeps an item on the open index exactly while something is left to do', () => {
    for (const { result } of outcomes) {
      if (!result.ok) continue;
      const next = result.item;
      const leftToDo =
        OPEN.includes(next.status) ||
        (next.outbox?.length ?? 0) > 0 ||
        (next.status === 'failed' && next.dueAt !== undefined);
      expect([next.status, next.dueAt !== undefined]).toEqual([next.status, leftToDo]);
    }
  });

  it('owes an event for every action that reaches a final status, and for every completed deletion', () => {
    for (const { state, result } of outcomes) {
      if (!result.ok || result.item.kind === 'run' || result.item.kind === 'override') continue;
      if (TERMINAL.includes(state)) continue;
      const final = TERMINAL.includes(result.item.status);
      const owesEvent = result.item.kind === 'action' || result.item.status === 'completed';
      if (final && owesEvent) expect(result.item.outbox).toContain('event');
    }
  });

  it('records an answer only while its lease lasts, and lets anyone claim only once it has ended', () => {
    for (const { item, event, result } of outcomes) {
      if (!result.ok || item === undefined) continue;
      const leaseUntil = Date.parse((item as { leaseUntil: string }).leaseUntil);
      if (event.type === 'started') expect(leaseUntil).toBeGreaterThan(NOW.getTime());
      if (event.type === 'claim' && item.status !== 'failed')
        expect(leaseUntil + timing.clockSkewMs).toBeLessThan(NOW.getTime());
    }
  });
});

describe('Timing', () => {
  it('refuses a client timeout longer than the lease allows, naming both values', () => {
    expect(() => new Timing({ clientTimeoutMs: 60_000, actionLeaseMs: 45_000 })).toThrow(
      "clientTimeoutMs: expected at most 38000 ms, so that one attempt fits in the claim's lease (actionLeaseMs 45000 ms, less the send margin of 7000 ms), got 60000 ms",
    );
  });

  it('derives the send deadline and the adoption delay from the lease', () => {
    const derived = new Timing({
      actionLeaseMs: 45_000,
      clockSkewMs: 2_000,
      transitMs: 5_000,
      indexLagMs: 5_000,
    });
    expect(derived.sendDeadline('2026-11-27T02:00:45.000Z')).toBe(Date.parse('2026-11-27T02:00:38.000Z'));
    expect(derived.adoptAfterMs).toBe(9_000);
  });

  it("scales waits on DigitalOcean's behalf, never its own deadlines", () => {
    const scaled = new Timing({ timeScale: 60 });
    expect(scaled.scaled(60_000)).toBe(1_000);
    expect(scaled.actionLeaseMs).toBe(45_000);
    expect(scaled.afterDo('2026-11-27T02:00:00Z', 60_000)).toBe('2026-11-27T02:00:01.000Z');
  });
});
