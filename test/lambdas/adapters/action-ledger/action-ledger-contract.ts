import type { ActionRecord } from '../../../../lambdas/core/ledger/action-record';
import {
  actionId,
  deletionId,
  overrideItemId,
  runId,
  type ItemId,
} from '../../../../lambdas/core/ledger/item-id';
import type { LedgerRecord } from '../../../../lambdas/core/ledger/ledger-record';
import type { ActionLedger } from '../../../../lambdas/core/ports/audit-queries';
import type { Page } from '../../../../lambdas/core/ports/ledger-store';
import { commit, type OverrideEvent } from '../../../../lambdas/core/state/commit';
import type { NewAction } from '../../../../lambdas/core/state/new-item';
import { Timing } from '../../../../lambdas/core/state/timing';
import type { LedgerEvent } from '../../../../lambdas/core/state/transitions';

export interface LedgerFactoryOptions {
  /** The ledger's clock, in milliseconds since the epoch. */
  readonly now: () => number;
  readonly auditRetentionDays?: number;
}

/** Builds a fresh, empty ledger for one test. */
export type ActionLedgerFactory = (options: LedgerFactoryOptions) => Promise<ActionLedger>;

const TICK = '2026-11-27T02:00:00.000Z';
const DAY_SECONDS = 86_400;
const timing = new Timing();

function newAction(overrides: Partial<NewAction> = {}): NewAction {
  return {
    kind: 'action',
    policy: 'weekend-off',
    scheduledTime: TICK,
    dropletId: 42,
    dropletName: 'web-42',
    region: 'fra1',
    type: 'shutdown',
    mode: 'per-droplet',
    timeoutAt: '2026-11-27T02:05:00.000Z',
    timeoutMinutes: 5,
    workflow: {
      steps: [
        { type: 'shutdown', timeoutMinutes: 5 },
        { type: 'power_off', timeoutMinutes: 5, afterFailure: true, unlessDroplet: 'off' },
      ],
    },
    ...overrides,
  };
}

/** Reads every page of a query; bounded, so that a cursor that never ends fails the test instead of hanging. */
async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= 200; pages += 1) {
    const page = await fetchPage(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.cursor;
    if (cursor === undefined) return { items, pages };
  }
  throw new Error('expected the query to end within 200 pages');
}

/**
 * The behaviour every ledger adapter promises, run once per adapter: the four persistence
 * primitives the state machine rests on (get, create-if-absent, compare-and-set on `version`,
 * the open-and-due query), the action-owner item, and the audit queries.
 */
export function describeActionLedgerContract(name: string, createLedger: ActionLedgerFactory): void {
  describe(`${name} (ledger contract)`, () => {
    let nowMs: number;
    let ledger: ActionLedger;
    const setNow = (iso: string) => {
      nowMs = Date.parse(iso);
    };
    const deps = () => ({ ledger, now: () => new Date(nowMs), timing });
    const apply = async (id: ItemId, event: Exclude<LedgerEvent, OverrideEvent>): Promise<LedgerRecord> => {
      const result = await commit(deps(), id, event);
      if (!result.ok) throw new Error(`expected ${event.type} to be allowed, got: ${result.refusal}`);
      return result.item;
    };
    const claimAction = (overrides: Partial<NewAction> = {}) => {
      const init = newAction(overrides);
      return apply(actionId(init.policy, init.scheduledTime, init.dropletId, init.step), {
        type: 'claim',
        init,
      });
    };
    const startAction = async (overrides: Partial<NewAction> = {}, actionNumber = 7) => {
      const claimed = (await claimAction(overrides)) as ActionRecord;
      const init = newAction(overrides);
      return apply(actionId(init.policy, init.scheduledTime, init.dropletId, init.step), {
        type: 'started',
        attempts: claimed.attempts,
        action: {
          actionId: actionNumber,
          startedAt: new Date(nowMs).toISOString(),
          dueAt: new Date(nowMs + 60_000).toISOString(),
        },
      });
    };

    beforeEach(async () => {
      setNow('2026-11-27T02:00:05.000Z');
      ledger = await createLedger({ now: () => nowMs });
    });

    describe('create-if-absent and compare-and-set', () => {
      it('given 10 concurrent creates of one item, creates it once and shows every caller the same item', async () => {
        // Prepare
        const claims = Array.from({ length: 10 }, () =>
          commit(deps(), actionId('weekend-off', TICK, 42), { type: 'claim', init: newAction() }, null),
        );
        // Act
        const results = await Promise.all(claims);
        // Assess
        expect(results.filter((result) => result.ok)).toHaveLength(1);
        const stored = (await ledger.get(actionId('weekend-off', TICK, 42))) as ActionRecord;
        expect(stored).toMatchObject({ status: 'pending', attempts: 1, version: 1, dropletName: 'web-42' });
        for (const result of results.filter((result) => !result.ok)) {
          expect(result.ok ? undefined : result.current).toEqual(stored);
        }
      });

      it('writes a put only over the version it expects, and answers what is stored instead', async () => {
        // Prepare
        const created = await claimAction();
        // Act
        const stale = await ledger.put({ ...created, version: 2, status: 'skipped' } as LedgerRecord, 7);
        const fresh = await ledger.put({ ...created, version: 2, status: 'skipped' } as LedgerRecord, 1);
        // Assess
        expect(stale).toEqual({ written: false, current: created });
        expect(fresh.written).toBe(true);
        expect(await ledger.get(actionId('weekend-off', TICK, 42))).toMatchObject({
          status: 'skipped',
          version: 2,
        });
      });

      it('answers a put of an item that does not exist with nothing stored, and does not create it', async () => {
        // Prepare
        const created = await claimAction();
        const other = { ...created, dropletId: 43 } as LedgerRecord;
        // Act
        const result = await ledger.put({ ...other, version: 2 } as LedgerRecord, 1);
        // Assess
        expect(result).toEqual({ written: false, current: undefined });
        expect(await ledger.get(actionId('weekend-off', TICK, 43))).toBeUndefined();
      });

      it('sets the TTL of a new item from the configured audit retention', async () => {
        // Prepare
        ledger = await createLedger({ now: () => nowMs, auditRetentionDays: 30 });
        // Act
        const created = await claimAction();
        // Assess
        expect(created.expiresAt).toBe(Math.floor(nowMs / 1000) + 30 * DAY_SECONDS);
        expect((await ledger.get(actionId('weekend-off', TICK, 42)))?.expiresAt).toBe(created.expiresAt);
      });

      it('keeps a later step under its own identity, next to the action it follows', async () => {
        // Act
        await claimAction();
        await claimAction({ step: 1, type: 'power_off', parentActionId: 77 });
        // Assess
        expect(await ledger.get(actionId('weekend-off', TICK, 42))).toMatchObject({ type: 'shutdown' });
        expect(await ledger.get(actionId('weekend-off', TICK, 42, 1))).toMatchObject({
          type: 'power_off',
          step: 1,
          parentActionId: 77,
        });
      });
    });

    describe('action owners', () => {
      it('given two items claiming one DigitalOcean action at once, makes exactly one its owner and tells both', async () => {
        // Prepare
        const first = actionId('nightly', TICK, 42);
        const second = actionId('nightly', '2026-11-27T03:00:00Z', 42);
        // Act
        const [a, b] = await Promise.all([
          ledger.claimActionOwner({ actionId: 2100000001, owner: first }),
          ledger.claimActionOwner({ actionId: 2100000001, owner: second }),
        ]);
        const again = await ledger.claimActionOwner({ actionId: 2100000001, owner: second });
        // Assess
        expect(a.owner).toEqual(b.owner);
        expect(again.owner).toEqual(a.owner);
        expect([first, second]).toContainEqual(a.owner);
      });
    });

    describe('the open index', () => {
      it('lists items with something left to do once due, earliest first, and drops them when done', async () => {
        // Prepare: a pending claim (due when its lease ends), a started action (due at its first check).
        await claimAction({ dropletId: 1 });
        await startAction({ dropletId: 2 });
        const leaseEnds = nowMs + timing.actionLeaseMs + timing.clockSkewMs;
        // Act
        const early = await ledger.findOpenDue(new Date(nowMs + 30_000).toISOString());
        const later = await ledger.findOpenDue(new Date(nowMs + 70_000).toISOString());
        await apply(actionId('weekend-off', TICK, 2), {
          type: 'completed',
          actionId: 7,
          completedAt: new Date(nowMs).toISOString(),
          dropletStatus: 'off',
        });
        await apply(actionId('weekend-off', TICK, 2), { type: 'effects-done', done: ['event'] });
        const afterwards = await ledger.findOpenDue(new Date(leaseEnds + 5_000).toISOString());
        // Assess
        expect(early.items).toEqual([]);
        expect(later.items.map((item) => (item as ActionRecord).dropletId)).toEqual([1, 2]);
        expect(afterwards.items.map((item) => (item as ActionRecord).dropletId)).toEqual([1]);
      });

      it('keeps a finished item on the index until its effects are done', async () => {
        // Prepare
        await startAction();
        // Act
        const finished = await apply(actionId('weekend-off', TICK, 42), {
          type: 'errored',
          actionId: 7,
          completedAt: new Date(nowMs).toISOString(),
          error: { code: 'action_errored', message: 'errored' },
        });
        const due = await ledger.findOpenDue(new Date(nowMs + timing.effectsGraceMs).toISOString());
        // Assess
        expect(finished.outbox).toEqual(['event', 'next-step']);
        expect(due.items.map((item) => item.status)).toEqual(['errored']);
      });

      it('pages through many due items without losing or repeating one', async () => {
        // Prepare
        for (let dropletId = 1; dropletId <= 25; dropletId += 1)
          await startAction({ dropletId }, 1000 + dropletId);
        // Act
        const { items, pages } = await allPages(
          (cursor) => ledger.findOpenDue('2026-11-28T00:00:00Z', { limit: 4, cursor }),
          4,
        );
        // Assess
        expect(new Set(items.map((item) => (item as ActionRecord).dropletId)).size).toBe(25);
        expect(items).toHaveLength(25);
        expect(pages).toBeGreaterThanOrEqual(5);
      });
    });

    describe('the open index, scoped to teams', () => {
      const LATER = '2026-11-28T00:00:00Z';
      const dropletsOf = (page: Page<LedgerRecord>) =>
        page.items.map((item) => (item as ActionRecord).dropletId).sort((a, b) => a - b);

      beforeEach(async () => {
        // Droplets 1-2 of web-shop, 3 of data, 4 of none (the default team), 5 naming "default" itself.
        await startAction({ dropletId: 1, team: 'web-shop' }, 101);
        await startAction({ dropletId: 2, team: 'web-shop' }, 102);
        await startAction({ dropletId: 3, team: 'data' }, 103);
        await startAction({ dropletId: 4 }, 104);
        await startAction({ dropletId: 5, team: 'default' }, 105);
      });

      it.each([
        ['only web-shop', { only: ['web-shop'] }, [1, 2]],
        ['only web-shop and data', { only: ['data', 'web-shop'] }, [1, 2, 3]],
        ['only the default team', { only: ['default'] }, [4, 5]],
        ['every team but web-shop and data', { except: ['web-shop', 'data'] }, [4, 5]],
        ['every team but web-shop', { except: ['web-shop'] }, [3, 4, 5]],
        ['every team but the default', { except: ['default'] }, [1, 2, 3]],
      ])(
        'given items of three teams, when asked for %s, then it returns exactly theirs',
        async (_case, teams, droplets) => {
          // Act
          const page = await ledger.findOpenDue(LATER, { teams });
          // Assess
          expect(dropletsOf(page)).toEqual(droplets);
          expect(page.cursor).toBeUndefined();
        },
      );

      it('given no scope, when asked, then every team is returned as before', async () => {
        expect(dropletsOf(await ledger.findOpenDue(LATER))).toEqual([1, 2, 3, 4, 5]);
      });

      it("given a team's few items among many of another's, when paged with a small limit, then each is returned once and no page overruns", async () => {
        // Prepare: 30 more items of data, after and between web-shop's.
        for (let dropletId = 10; dropletId < 40; dropletId += 1)
          await startAction({ dropletId, team: 'data' }, 1000 + dropletId);
        await startAction({ dropletId: 50, team: 'web-shop' }, 150);
        // Act
        const { items } = await allPages(
          (cursor) => ledger.findOpenDue(LATER, { limit: 2, cursor, teams: { only: ['web-shop'] } }),
          2,
        );
        // Assess
        expect(items.map((item) => (item as ActionRecord).dropletId).sort((a, b) => a - b)).toEqual([
          1, 2, 50,
        ]);
      });

      it('given a cursor of one scope, when handed to another scope, then it is refused', async () => {
        // Prepare
        const first = await ledger.findOpenDue(LATER, { limit: 1, teams: { only: ['web-shop'] } });
        expect(first.cursor).toBeDefined();
        // Act & Assess
        await expect(
          ledger.findOpenDue(LATER, { limit: 1, cursor: first.cursor, teams: { only: ['data'] } }),
        ).rejects.toThrow(/cursor: expected a cursor returned by the same query/);
      });

      it.each([
        ['an empty list', { only: [] }],
        ['a name that is not a team name', { except: ['Web Shop'] }],
      ])('given %s as the scope, when asked, then it is refused naming teams', async (_case, teams) => {
        await expect(ledger.findOpenDue(LATER, { teams })).rejects.toThrow(
          /teams: expected 1 to 100 team names/,
        );
      });
    });

    describe('audit queries', () => {
      it('answers what happened to a droplet between two times, oldest first, page by page', async () => {
        // Prepare: droplet 42 in four ticks of two policies, droplet 43 once.
        const ticks = [
          '2026-11-01T02:00:00Z',
          '2026-11-02T02:00:00Z',
          '2026-11-03T02:00:00Z',
          '2026-11-04T02:00:00Z',
        ];
        for (const [index, tick] of ticks.entries()) {
          setNow(tick);
          await claimAction({ policy: index % 2 === 0 ? 'weekend-off' : 'nightly', scheduledTime: tick });
        }
        await claimAction({ dropletId: 43 });
        // Act
        const { items, pages } = await allPages(
          (cursor) =>
            ledger.queryByDroplet(42, {
              from: '2026-11-02T00:00:00Z',
              to: '2026-11-04T02:00:00Z',
              limit: 2,
              cursor,
            }),
          2,
        );
        const everything = await ledger.queryByDroplet(42);
        // Assess
        expect(items.map((record) => record.scheduledTime)).toEqual([
          '2026-11-02T02:00:00.000Z',
          '2026-11-03T02:00:00.000Z',
          '2026-11-04T02:00:00.000Z',
        ]);
        expect(pages).toBeGreaterThanOrEqual(2);
        expect(everything.items).toHaveLength(4);
        expect(everything.cursor).toBeUndefined();
      });

      it('answers what a policy did between two ticks: runs, actions, steps and deletions, in order', async () => {
        // Prepare
        for (const tick of ['2026-11-20T20:00:00Z', '2026-11-21T20:00:00Z', '2026-11-22T20:00:00Z']) {
          await apply(runId('weekend-off', tick), {
            type: 'claim',
            init: {
              kind: 'run',
              policy: 'weekend-off',
              scheduledTime: tick,
              type: 'shutdown',
              mode: 'per-droplet',
            },
          });
          for (const dropletId of [1, 2]) await claimAction({ scheduledTime: tick, dropletId });
        }
        await claimAction({
          scheduledTime: '2026-11-21T20:00:00Z',
          dropletId: 1,
          step: 1,
          type: 'power_off',
        });
        await apply(deletionId('weekend-off', '2026-11-21T20:00:00Z', 1, 555), {
          type: 'claim',
          init: {
            kind: 'snapshot-deletion',
            policy: 'weekend-off',
            scheduledTime: '2026-11-21T20:00:00Z',
            dropletId: 1,
            snapshotId: 555,
            snapshotName: 'weekend-off--1-20261101-0200',
            snapshotCreatedAt: '2026-11-01T02:05:00Z',
            rule: 'keepLast',
          },
        });
        await claimAction({ policy: 'weekend-off-2', scheduledTime: '2026-11-21T20:00:00Z' });
        // Act
        const { items } = await allPages(
          (cursor) =>
            ledger.queryByPolicy('weekend-off', {
              from: '2026-11-21T20:00:00Z',
              to: '2026-11-22T20:00:00Z',
              limit: 3,
              cursor,
            }),
          3,
        );
        // Assess
        const describe = (record: LedgerRecord) =>
          record.kind === 'run'
            ? `run ${record.scheduledTime}`
            : record.kind === 'action'
              ? `${record.scheduledTime} ${record.dropletId}${record.step ? ` step ${record.step}` : ''}`
              : record.kind === 'snapshot-deletion'
                ? `${record.scheduledTime} ${record.dropletId} deleted ${record.snapshotId}`
                : `${record.kind} ${record.dropletId}`;
        expect(items.map(describe)).toEqual([
          'run 2026-11-21T20:00:00.000Z',
          '2026-11-21T20:00:00.000Z 1',
          '2026-11-21T20:00:00.000Z 1 deleted 555',
          '2026-11-21T20:00:00.000Z 1 step 1',
          '2026-11-21T20:00:00.000Z 2',
          'run 2026-11-22T20:00:00.000Z',
          '2026-11-22T20:00:00.000Z 1',
          '2026-11-22T20:00:00.000Z 2',
        ]);
        expect(
          (
            await ledger.queryByPolicy('weekend-off', {
              from: '2026-11-23T00:00:00Z',
              to: '2026-11-22T00:00:00Z',
            })
          ).items,
        ).toEqual([]);
      });

      it('answers which actions failed in a range that crosses a month boundary', async () => {
        // Prepare: errored items updated on Jan 30, Jan 31, Feb 1 and Feb 2, plus a timed-out one on Feb 1.
        const failures = [
          '2027-01-30T12:00:00Z',
          '2027-01-31T23:59:59Z',
          '2027-02-01T00:00:00Z',
          '2027-02-02T12:00:00Z',
        ];
        for (const [index, when] of failures.entries()) {
          setNow('2027-01-29T00:00:00Z');
          await startAction({ dropletId: 100 + index }, 500 + index);
          setNow(when);
          await apply(actionId('weekend-off', TICK, 100 + index), {
            type: 'errored',
            actionId: 500 + index,
            completedAt: when,
            error: { code: 'action_errored', message: 'errored' },
          });
        }
        setNow('2027-01-29T00:00:00Z');
        await startAction({ dropletId: 200 }, 600);
        setNow('2027-02-01T00:00:00Z');
        await apply(actionId('weekend-off', TICK, 200), {
          type: 'timed-out',
          actionId: 600,
          error: { code: 'timed_out', message: 'slow' },
        });
        // Act
        const { items } = await allPages(
          (cursor) =>
            ledger.queryByStatus('errored', {
              from: '2027-01-31T00:00:00Z',
              to: '2027-02-01T23:59:59Z',
              limit: 1,
              cursor,
            }),
          1,
        );
        // Assess
        expect(items.map((record) => record.dropletId)).toEqual([101, 102]);
      });

      it("lists a policy's overrides by until, only those still in force with expiringAfter, and keeps them out of every tick query", async () => {
        // Prepare: three snoozes of weekend-off (one cancelled), one of another policy, and a tick.
        const snooze = (key: string, until: string, dropletId?: number, policy = 'weekend-off') =>
          commit(deps(), overrideItemId(policy, until, key), {
            type: 'snooze',
            init: { kind: 'override', policy, key, until, dropletId, reason: `because ${key}` },
          });
        await snooze('late01', '2026-11-28T22:00:00Z');
        await snooze('early1', '2026-11-27T01:00:00Z', 42);
        await snooze('mid001', '2026-11-27T22:00:00Z');
        await snooze('othr01', '2026-11-28T22:00:00Z', undefined, 'nightly');
        const cancelled = await commit(
          deps(),
          overrideItemId('weekend-off', '2026-11-28T22:00:00Z', 'late01'),
          {
            type: 'cancel',
          },
        );
        await claimAction({ dropletId: 42 });
        // Act
        const { items: all } = await allPages(
          (cursor) => ledger.queryOverrides('weekend-off', { limit: 1, cursor }),
          1,
        );
        const inForce = await ledger.queryOverrides('weekend-off', { expiringAfter: TICK });
        // Assess
        expect(cancelled.ok).toBe(true);
        expect(all.map((record) => [record.key, record.status, record.dropletId])).toEqual([
          ['early1', 'active', 42],
          ['mid001', 'active', undefined],
          ['late01', 'cancelled', undefined],
        ]);
        expect(all[2]).toMatchObject({ kind: 'override', reason: 'because late01', version: 2 });
        expect(inForce.items.map((record) => record.key)).toEqual(['mid001', 'late01']);
        expect((await ledger.queryByPolicy('weekend-off')).items.map((record) => record.kind)).toEqual([
          'action',
        ]);
        expect((await ledger.queryByDroplet(42)).items).toHaveLength(1);
        expect(
          (await ledger.queryByStatus('pending', { from: TICK, to: '2026-11-30T00:00:00Z' })).items,
        ).toHaveLength(1);
        expect((await ledger.findOpenDue('2026-12-31T00:00:00Z')).items.map((record) => record.kind)).toEqual(
          ['action'],
        );
      });

      it('refuses a cursor that belongs to another query', async () => {
        // Prepare
        for (let dropletId = 1; dropletId <= 3; dropletId += 1)
          await claimAction({ dropletId, policy: 'nightly' });
        const first = await ledger.queryByPolicy('nightly', { limit: 1 });
        // Act
        const wrong = ledger.queryByDroplet(1, { cursor: first.cursor, limit: 1 });
        // Assess
        await expect(wrong).rejects.toThrow(/cursor: expected a cursor returned by the same query/);
      });
    });
  });
}
