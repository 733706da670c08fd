import { LedgerConflictError } from '../../../../lambdas/core/errors/ledger-conflict-error';
import type { ActionRecord } from '../../../../lambdas/core/ledger/action-record';
import { actionKey, followUpKey, runKey } from '../../../../lambdas/core/ledger/ledger-keys';
import type { LedgerRecord } from '../../../../lambdas/core/ledger/ledger-record';
import type { ActionLedger, NewAction, Page } from '../../../../lambdas/core/ports/action-ledger';

export interface LedgerFactoryOptions {
  /** The ledger's clock, in milliseconds since the epoch. */
  readonly now: () => number;
  readonly auditRetentionDays?: number;
}

/** Builds a fresh, empty ledger for one test. */
export type ActionLedgerFactory = (options: LedgerFactoryOptions) => Promise<ActionLedger>;

const TICK = '2026-11-27T02:00:00.000Z';
const DAY_SECONDS = 86_400;

function newAction(overrides: Partial<NewAction> = {}): NewAction {
  return {
    policy: 'weekend-off',
    scheduledTime: TICK,
    dropletId: 42,
    dropletName: 'web-42',
    region: 'fra1',
    type: 'shutdown',
    mode: 'per-droplet',
    dueAt: '2026-11-27T02:02:00.000Z',
    timeoutAt: '2026-11-27T02:05:00.000Z',
    timeoutMinutes: 5,
    fallback: 'power_off',
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

async function conflictOf(promise: Promise<unknown>): Promise<LedgerConflictError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LedgerConflictError);
  return error as LedgerConflictError;
}

/** The behaviour every `ActionLedger` adapter promises; run once per adapter. */
export function describeActionLedgerContract(name: string, createLedger: ActionLedgerFactory): void {
  describe(`${name} (ActionLedger contract)`, () => {
    let nowMs: number;
    let ledger: ActionLedger;
    const setNow = (iso: string) => {
      nowMs = Date.parse(iso);
    };

    beforeEach(async () => {
      setNow('2026-11-27T02:00:05.000Z');
      ledger = await createLedger({ now: () => nowMs });
    });

    describe('runs', () => {
      it('given a tick delivered twice, when both claim the run, then only the first claims and the second sees it', async () => {
        // Act
        const first = await ledger.claimRun({ policy: 'weekend-off', scheduledTime: TICK, type: 'shutdown' });
        const second = await ledger.claimRun({
          policy: 'weekend-off',
          scheduledTime: '2026-11-27T02:00:00Z',
          type: 'shutdown',
          executionId: 'second-delivery',
        });
        // Assess
        expect(first).toMatchObject({
          claimed: true,
          record: { kind: 'run', status: 'dispatching', ...runKey('weekend-off', TICK) },
        });
        expect(second).toEqual({ claimed: false, existing: first.claimed ? first.record : undefined });
      });

      it('records counts and mode on the run, and refuses an update that expects another status', async () => {
        // Prepare
        await ledger.claimRun({ policy: 'weekend-off', scheduledTime: TICK, type: 'shutdown' });
        const key = runKey('weekend-off', TICK);
        // Act
        const updated = await ledger.updateRun(
          key,
          { status: 'dispatched', mode: 'per-droplet', targetCount: 3, counts: { queued: 3 } },
          { expectedStatus: 'dispatching' },
        );
        const conflict = await conflictOf(
          ledger.updateRun(key, { status: 'failed' }, { expectedStatus: 'dispatching' }),
        );
        // Assess
        expect(updated).toMatchObject({
          status: 'dispatched',
          mode: 'per-droplet',
          targetCount: 3,
          counts: { queued: 3 },
        });
        expect(await ledger.get(key)).toEqual(updated);
        expect(conflict.message).toContain(
          'expected a run item with status dispatching, found run item with status dispatched',
        );
      });

      it('given a dispatching run with a deadline, lists it as abandoned once the deadline passes, and no more once dispatched', async () => {
        // Prepare
        const policyDefinition = { name: 'weekend-off', targets: { tag: 'staging' } };
        await ledger.claimRun({
          policy: 'weekend-off',
          scheduledTime: TICK,
          type: 'shutdown',
          dueAt: '2026-11-27T02:15:00.000Z',
          policyDefinition,
        });
        const key = runKey('weekend-off', TICK);
        // Act
        const early = await ledger.findAbandonedRuns('2026-11-27T02:14:59.000Z');
        const late = await ledger.findAbandonedRuns('2026-11-27T02:15:00.000Z');
        const actions = await ledger.findOpenDue('2026-11-27T03:00:00.000Z');
        await ledger.updateRun(key, { status: 'dispatched' });
        const afterDispatch = await ledger.findAbandonedRuns('2026-11-28T00:00:00.000Z');
        // Assess
        expect(early.items).toEqual([]);
        expect(late.items).toEqual([
          expect.objectContaining({ ...key, status: 'dispatching', policyDefinition }),
        ]);
        expect(actions.items).toEqual([]);
        expect(afterDispatch.items).toEqual([]);
      });

      it('lets exactly one of two callers take over an abandoned run by moving its deadline on', async () => {
        await ledger.claimRun({
          policy: 'p',
          scheduledTime: TICK,
          type: 'reboot',
          dueAt: '2026-11-27T02:15:00.000Z',
        });
        const key = runKey('p', TICK);
        const takeOver = () =>
          ledger.updateRun(
            key,
            { dueAt: '2026-11-27T02:45:00.000Z' },
            { expectedStatus: 'dispatching', expectedDueAt: '2026-11-27T02:15:00.000Z' },
          );

        const outcomes = await Promise.allSettled([takeOver(), takeOver()]);

        expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
        expect((await ledger.get(key)) as { dueAt?: string }).toMatchObject({
          dueAt: '2026-11-27T02:45:00.000Z',
        });
      });

      it('refuses to update a run that was never claimed', async () => {
        const conflict = await conflictOf(
          ledger.updateRun(runKey('weekend-off', TICK), { status: 'dispatched' }),
        );
        expect(conflict.found).toBe('no item');
        expect(await ledger.get(runKey('weekend-off', TICK))).toBeUndefined();
      });

      it('records a skipped tick with its reason', async () => {
        const result = await ledger.claimRun({
          policy: 'weekend-off',
          scheduledTime: TICK,
          type: 'shutdown',
          status: 'skipped',
          reason: 'skip date 2026-12-25',
        });
        expect(result).toMatchObject({
          claimed: true,
          record: { status: 'skipped', reason: 'skip date 2026-12-25' },
        });
      });
    });

    describe('claims', () => {
      it('given 10 concurrent claims of one droplet in one tick, exactly one claims and all see the same item', async () => {
        // Act
        const results = await Promise.all(Array.from({ length: 10 }, () => ledger.claimAction(newAction())));
        // Assess
        const winners = results.filter((result) => result.claimed);
        expect(winners).toHaveLength(1);
        const stored = await ledger.get(actionKey('weekend-off', TICK, 42));
        for (const result of results)
          expect(result.claimed ? result.record : result.existing).toEqual(stored);
      });

      it('stores a claim as pending, attempt 1, self-sufficient for the reconciler, with its TTL', async () => {
        // Act
        const result = await ledger.claimAction(newAction({ diskGb: 25, retention: { keepLast: 7 } }));
        // Assess
        expect(result.claimed).toBe(true);
        expect(await ledger.get(actionKey('weekend-off', TICK, 42))).toEqual({
          ...actionKey('weekend-off', TICK, 42),
          kind: 'action',
          policy: 'weekend-off',
          scheduledTime: TICK,
          dropletId: 42,
          dropletName: 'web-42',
          region: 'fra1',
          type: 'shutdown',
          mode: 'per-droplet',
          status: 'pending',
          attempts: 1,
          sendingAt: '2026-11-27T02:00:05.000Z',
          claimedAt: '2026-11-27T02:00:05.000Z',
          updatedAt: '2026-11-27T02:00:05.000Z',
          dueAt: '2026-11-27T02:02:00.000Z',
          timeoutAt: '2026-11-27T02:05:00.000Z',
          timeoutMinutes: 5,
          fallback: 'power_off',
          diskGb: 25,
          retention: { keepLast: 7 },
          expiresAt: Math.floor(nowMs / 1000) + 400 * DAY_SECONDS,
        });
      });

      it('sets the TTL from the configured audit retention', async () => {
        const shortLived = await createLedger({ now: () => nowMs, auditRetentionDays: 30 });
        const result = await shortLived.claimAction(newAction());
        expect(result.claimed && result.record.expiresAt).toBe(Math.floor(nowMs / 1000) + 30 * DAY_SECONDS);
      });

      it('keeps a follow-up under its own key, next to the action it follows', async () => {
        // Act
        const result = await ledger.claimAction(newAction({ type: 'power_off', parentActionId: 9001 }));
        // Assess
        expect(result).toMatchObject({
          claimed: true,
          record: {
            ...followUpKey('weekend-off', TICK, 42, 'power_off'),
            parentActionId: 9001,
            type: 'power_off',
          },
        });
        expect(await ledger.get(actionKey('weekend-off', TICK, 42))).toBeUndefined();
      });

      it('names the field and the value when the tick is not a date', async () => {
        await expect(ledger.claimAction(newAction({ scheduledTime: 'yesterday' }))).rejects.toMatchObject({
          code: 'ledger_input_invalid',
          message: 'scheduledTime: expected an ISO 8601 date-time, got: "yesterday"',
        });
      });
    });

    describe('starting and retrying', () => {
      const key = actionKey('weekend-off', TICK, 42);
      const started = {
        actionId: 9001,
        startedAt: '2026-11-27T02:00:06Z',
        dueAt: '2026-11-27T02:00:36Z',
        region: 'fra1',
      };

      it('marks a claim started only with the attempts it was claimed with', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        // Act
        const wrong = await conflictOf(ledger.markStarted(key, { ...started, expectedAttempts: 2 }));
        const record = await ledger.markStarted(key, { ...started, expectedAttempts: 1 });
        const again = await conflictOf(ledger.markStarted(key, { ...started, expectedAttempts: 1 }));
        // Assess
        expect(wrong.message).toBe(
          `ledger markStarted on ${key.pk} ${key.sk}: expected status pending and attempts 2, found status pending and attempts 1`,
        );
        expect(record).toMatchObject({
          status: 'in-progress',
          actionId: 9001,
          startedAt: '2026-11-27T02:00:06.000Z',
          dueAt: '2026-11-27T02:00:36.000Z',
          attempts: 1,
        });
        expect(again.found).toBe('status in-progress and attempts 1');
      });

      it('given two reconcilers retrying one stale claim, exactly one gets the next attempt', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        // Act
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () =>
            ledger.retryClaim(key, { expectedAttempts: 1, dueAt: '2026-11-27T02:04:00Z' }),
          ),
        );
        // Assess
        const fulfilled = results.filter((result) => result.status === 'fulfilled');
        expect(fulfilled).toHaveLength(1);
        expect(fulfilled[0]?.value).toMatchObject({
          status: 'pending',
          attempts: 2,
          dueAt: '2026-11-27T02:04:00.000Z',
        });
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(LedgerConflictError);
        }
        // The first attempt's answer, arriving late, can no longer start the item.
        await conflictOf(ledger.markStarted(key, { ...started, expectedAttempts: 1 }));
        await expect(ledger.markStarted(key, { ...started, expectedAttempts: 2 })).resolves.toMatchObject({
          status: 'in-progress',
          attempts: 2,
        });
      });

      it('refuses to start or retry an item that does not exist, and does not create it', async () => {
        const conflict = await conflictOf(ledger.retryClaim(key, { expectedAttempts: 1, dueAt: TICK }));
        expect(conflict.found).toBe('no item');
        await conflictOf(ledger.markStarted(key, { ...started, expectedAttempts: 1 }));
        expect(await ledger.get(key)).toBeUndefined();
      });

      it('reschedules a pending claim only while it still holds the attempt the caller expects', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        // Act
        const held = await ledger.reschedule(key, {
          expectedStatus: 'pending',
          expectedAttempts: 1,
          dueAt: TICK,
        });
        await ledger.retryClaim(key, { expectedAttempts: 1, dueAt: TICK });
        const conflict = await conflictOf(
          ledger.reschedule(key, { expectedStatus: 'pending', expectedAttempts: 1, dueAt: TICK }),
        );
        // Assess
        expect(held).toMatchObject({ status: 'pending', attempts: 1 });
        expect(conflict.expected).toBe('status pending and attempts 1');
        expect((await ledger.get(key)) as ActionRecord).toMatchObject({ attempts: 2 });
      });

      it('gives up or reschedules a claim only while no delivery has taken a new attempt or stamped a send since it was read', async () => {
        // Prepare
        const read = (await ledger.claimAction(newAction())) as { claimed: true; record: ActionRecord };
        const expectedClaim = { attempts: 1, sendingAt: read.record.sendingAt };
        await ledger.reschedule(key, {
          expectedStatus: 'pending',
          expectedAttempts: 1,
          dueAt: TICK,
          sendingAt: '2026-11-27T02:00:30Z',
        });
        // Act
        const givenUp = await ledger.markTerminal(key, { status: 'timed-out', expectedClaim });
        const handedOn = await conflictOf(
          ledger.reschedule(key, { expectedStatus: 'pending', expectedClaim, dueAt: TICK }),
        );
        const current = (await ledger.get(key)) as ActionRecord;
        const fresh = await ledger.markTerminal(key, {
          status: 'timed-out',
          expectedClaim: { attempts: current.attempts, sendingAt: current.sendingAt },
        });
        // Assess
        expect(givenUp.transitioned).toBe(false);
        expect(handedOn.expected).toBe('status pending and the claim unchanged since attempt 1');
        expect(current).toMatchObject({ status: 'pending', sendingAt: '2026-11-27T02:00:30.000Z' });
        expect(fresh.transitioned).toBe(true);
      });

      it('reschedules an open item, counting the checks, and refuses when the status moved on', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        await ledger.markStarted(key, { ...started, expectedAttempts: 1 });
        // Act
        await ledger.reschedule(key, { expectedStatus: 'in-progress', dueAt: '2026-11-27T02:01:00Z' });
        const record = await ledger.reschedule(key, {
          expectedStatus: 'in-progress',
          dueAt: '2026-11-27T02:02:00Z',
          timeoutAt: '2026-11-27T02:10:00Z',
        });
        const conflict = await conflictOf(ledger.reschedule(key, { expectedStatus: 'pending', dueAt: TICK }));
        // Assess
        expect(record).toMatchObject({
          dueAt: '2026-11-27T02:02:00.000Z',
          timeoutAt: '2026-11-27T02:10:00.000Z',
          checks: 2,
        });
        expect(conflict.expected).toBe('status pending');
      });
    });

    describe('terminal statuses', () => {
      const key = actionKey('weekend-off', TICK, 42);

      it('given 20 concurrent markTerminal calls, exactly one transitions', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        await ledger.markStarted(key, { expectedAttempts: 1, actionId: 9001, startedAt: TICK, dueAt: TICK });
        // Act
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            ledger.markTerminal(key, {
              status: index % 2 === 0 ? 'completed' : 'errored',
              completedAt: TICK,
            }),
          ),
        );
        // Assess
        const transitions = results.filter((result) => result.transitioned);
        expect(transitions).toHaveLength(1);
        const stored = await ledger.get(key);
        expect(transitions[0]).toEqual({ transitioned: true, record: stored });
        for (const result of results) {
          if (!result.transitioned) expect(result.existing.status).toBe((stored as ActionRecord).status);
        }
      });

      it('never changes a terminal item', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        await ledger.markTerminal(key, {
          status: 'rejected',
          error: {
            code: 'unprocessable_entity',
            message: 'Droplet already has a pending event.',
            requestId: 'req-1',
          },
        });
        const terminal = await ledger.get(key);
        nowMs += 60_000;
        // Act
        const second = await ledger.markTerminal(key, { status: 'completed' });
        await conflictOf(
          ledger.markStarted(key, { expectedAttempts: 1, actionId: 1, startedAt: TICK, dueAt: TICK }),
        );
        await conflictOf(ledger.retryClaim(key, { expectedAttempts: 1, dueAt: TICK }));
        await conflictOf(ledger.reschedule(key, { expectedStatus: 'pending', dueAt: TICK }));
        const skip = await ledger.recordTerminalWithoutAction(newAction(), {
          status: 'skipped',
          reason: 'already off',
        });
        // Assess
        expect(terminal).toMatchObject({
          status: 'rejected',
          completedAt: '2026-11-27T02:00:05.000Z',
          lastError: {
            code: 'unprocessable_entity',
            message: 'Droplet already has a pending event.',
            requestId: 'req-1',
          },
        });
        expect(second).toEqual({ transitioned: false, existing: terminal });
        expect(skip).toEqual({ recorded: false, existing: terminal });
        expect(await ledger.get(key)).toEqual(terminal);
      });

      it('refuses markTerminal on an item that does not exist, naming the key', async () => {
        const conflict = await conflictOf(ledger.markTerminal(key, { status: 'completed' }));
        expect(conflict.message).toBe(
          `ledger markTerminal on ${key.pk} ${key.sk}: expected an action item, found no item`,
        );
        expect(conflict.code).toBe('ledger_conflict');
      });

      it('records a droplet DigitalOcean refused as a new rejected item with its message', async () => {
        // Act
        const result = await ledger.recordTerminalWithoutAction(newAction({ dropletId: 404 }), {
          status: 'rejected',
          error: { code: 'not_found', message: 'The resource you were accessing could not be found.' },
        });
        // Assess
        expect(result).toMatchObject({
          recorded: true,
          record: {
            ...actionKey('weekend-off', TICK, 404),
            status: 'rejected',
            attempts: 0,
            lastError: { code: 'not_found', message: 'The resource you were accessing could not be found.' },
          },
        });
        expect(result.recorded && result.record.dueAt).toBeUndefined();
      });

      it('turns a pending claim skipped, keeping when and how often it was claimed', async () => {
        // Prepare
        await ledger.claimAction(newAction());
        nowMs += 1_000;
        // Act
        const result = await ledger.recordTerminalWithoutAction(newAction(), {
          status: 'skipped',
          reason: 'already off',
        });
        // Assess
        expect(result).toMatchObject({
          recorded: true,
          record: {
            status: 'skipped',
            reason: 'already off',
            attempts: 1,
            claimedAt: '2026-11-27T02:00:05.000Z',
            updatedAt: '2026-11-27T02:00:06.000Z',
          },
        });
        expect((await ledger.findOpenDue('2030-01-01T00:00:00Z')).items).toEqual([]);
      });

      it('leaves an in-progress item alone when asked to skip it', async () => {
        await ledger.claimAction(newAction());
        const started = await ledger.markStarted(key, {
          expectedAttempts: 1,
          actionId: 7,
          startedAt: TICK,
          dueAt: TICK,
        });
        const result = await ledger.recordTerminalWithoutAction(newAction(), {
          status: 'skipped',
          reason: 'already off',
        });
        expect(result).toEqual({ recorded: false, existing: started });
      });
    });

    describe('bulk actions', () => {
      it('records a bulk POST as in-progress items and leaves items already present alone', async () => {
        // Prepare
        const bulk = {
          policy: 'monday-on',
          scheduledTime: TICK,
          type: 'power_on' as const,
          dueAt: '2026-11-27T02:00:30Z',
          actions: [1, 2, 3].map((dropletId) => ({ dropletId, actionId: 500 + dropletId, startedAt: TICK })),
        };
        await ledger.recordBulkActions({ ...bulk, actions: bulk.actions.slice(0, 1) });
        await ledger.markTerminal(actionKey('monday-on', TICK, 1), { status: 'completed' });
        // Act
        const result = await ledger.recordBulkActions(bulk);
        // Assess
        expect(result.alreadyPresent).toEqual([actionKey('monday-on', TICK, 1)]);
        expect(result.recorded.map((record) => record.dropletId).sort()).toEqual([2, 3]);
        expect(result.recorded[0]).toMatchObject({ status: 'in-progress', mode: 'bulk', attempts: 1 });
        expect(await ledger.get(actionKey('monday-on', TICK, 1))).toMatchObject({ status: 'completed' });
        expect(await ledger.get(actionKey('monday-on', TICK, 3))).toMatchObject({
          actionId: 503,
          status: 'in-progress',
        });
      });
    });

    describe('open index', () => {
      it('lists pending and in-progress items once due, and drops them when terminal', async () => {
        // Prepare: a pending claim due at 02:02, a started action due at 02:01, one finished, one due later.
        await ledger.claimAction(newAction({ dropletId: 1 }));
        await ledger.claimAction(newAction({ dropletId: 2 }));
        await ledger.markStarted(actionKey('weekend-off', TICK, 2), {
          expectedAttempts: 1,
          actionId: 2002,
          startedAt: TICK,
          dueAt: '2026-11-27T02:01:00Z',
        });
        await ledger.claimAction(newAction({ dropletId: 3 }));
        await ledger.markTerminal(actionKey('weekend-off', TICK, 3), { status: 'completed' });
        await ledger.claimAction(newAction({ dropletId: 4, dueAt: '2026-11-27T03:00:00Z' }));
        await ledger.claimRun({ policy: 'weekend-off', scheduledTime: TICK, type: 'shutdown' });
        // Act
        const early = await ledger.findOpenDue('2026-11-27T02:00:59.999Z');
        const dueAt0201 = await ledger.findOpenDue('2026-11-27T02:01:00Z');
        const dueAt0230 = await ledger.findOpenDue('2026-11-27T02:30:00Z');
        // Assess
        const ids = (page: Page<ActionRecord>) => page.items.map((record) => record.dropletId).sort();
        expect(ids(early)).toEqual([]);
        expect(ids(dueAt0201)).toEqual([2]);
        expect(ids(dueAt0230)).toEqual([1, 2]);
      });

      it('pages through many due items without losing or repeating one', async () => {
        // Prepare
        for (let dropletId = 1; dropletId <= 23; dropletId += 1) {
          await ledger.claimAction(
            newAction({ dropletId, dueAt: `2026-11-27T02:${String(dropletId).padStart(2, '0')}:00Z` }),
          );
        }
        // Act
        const { items, pages } = await allPages(
          (cursor) => ledger.findOpenDue('2026-11-27T03:00:00Z', { limit: 5, cursor }),
          5,
        );
        // Assess
        expect(items.map((record) => record.dropletId).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 23 }, (_, index) => index + 1),
        );
        expect(pages).toBeGreaterThanOrEqual(5);
      });
    });

    describe('queries', () => {
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
          await ledger.claimAction(
            newAction({ policy: index % 2 === 0 ? 'weekend-off' : 'nightly', scheduledTime: tick }),
          );
        }
        await ledger.claimAction(newAction({ dropletId: 43 }));
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

      it('answers what a policy did between two ticks: runs, actions and follow-ups, in key order', async () => {
        // Prepare
        for (const tick of ['2026-11-20T20:00:00Z', '2026-11-21T20:00:00Z', '2026-11-22T20:00:00Z']) {
          await ledger.claimRun({ policy: 'weekend-off', scheduledTime: tick, type: 'shutdown' });
          for (const dropletId of [1, 2])
            await ledger.claimAction(newAction({ scheduledTime: tick, dropletId }));
        }
        await ledger.claimAction(
          newAction({
            scheduledTime: '2026-11-21T20:00:00Z',
            dropletId: 1,
            type: 'power_off',
            parentActionId: 77,
          }),
        );
        await ledger.claimAction(
          newAction({ policy: 'weekend-off-2', scheduledTime: '2026-11-21T20:00:00Z' }),
        );
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
        expect(items.map((record: LedgerRecord) => record.sk)).toEqual([
          'RUN#2026-11-21T20:00:00.000Z',
          'RUN#2026-11-21T20:00:00.000Z#DROPLET#1',
          'RUN#2026-11-21T20:00:00.000Z#DROPLET#1#FOLLOWUP#power_off',
          'RUN#2026-11-21T20:00:00.000Z#DROPLET#2',
          'RUN#2026-11-22T20:00:00.000Z',
          'RUN#2026-11-22T20:00:00.000Z#DROPLET#1',
          'RUN#2026-11-22T20:00:00.000Z#DROPLET#2',
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
          await ledger.claimAction(newAction({ dropletId: 100 + index }));
          setNow(when);
          await ledger.markTerminal(actionKey('weekend-off', TICK, 100 + index), {
            status: 'errored',
            error: { code: 'errored', message: 'DigitalOcean reported the action errored' },
          });
        }
        await ledger.claimAction(newAction({ dropletId: 200 }));
        setNow('2027-02-01T06:00:00Z');
        await ledger.markTerminal(actionKey('weekend-off', TICK, 200), { status: 'timed-out' });
        // Act
        const { items } = await allPages(
          (cursor) =>
            ledger.queryByStatus('errored', {
              from: '2027-01-31T00:00:00Z',
              to: '2027-02-01T23:59:59.999Z',
              limit: 1,
              cursor,
            }),
          1,
        );
        const wholeRange = await ledger.queryByStatus('errored', {
          from: '2027-01-01T00:00:00Z',
          to: '2027-03-01T00:00:00Z',
        });
        const timedOut = await ledger.queryByStatus('timed-out', {
          from: '2027-01-01T00:00:00Z',
          to: '2027-03-01T00:00:00Z',
        });
        // Assess
        expect(items.map((record) => record.dropletId)).toEqual([101, 102]);
        expect(wholeRange.items.map((record) => record.dropletId)).toEqual([100, 101, 102, 103]);
        expect(timedOut.items.map((record) => record.dropletId)).toEqual([200]);
      });

      it('refuses a cursor that belongs to another query', async () => {
        for (let dropletId = 1; dropletId <= 3; dropletId += 1)
          await ledger.claimAction(newAction({ dropletId }));
        const page = await ledger.findOpenDue('2030-01-01T00:00:00Z', { limit: 1 });
        expect(page.cursor).toBeDefined();
        await expect(ledger.queryByDroplet(42, { cursor: page.cursor })).rejects.toMatchObject({
          code: 'ledger_input_invalid',
        });
        await expect(ledger.findOpenDue(TICK, { limit: 0 })).rejects.toMatchObject({
          message: 'limit: expected an integer from 1 to 1000, got: 0',
        });
      });
    });

    describe('snapshot deletions', () => {
      it('records a retention deletion once, findable by droplet and by policy', async () => {
        // Prepare
        await ledger.claimAction(
          newAction({ policy: 'nightly', type: 'snapshot', retention: { keepLast: 1 } }),
        );
        nowMs += 120_000;
        const deletion = {
          policy: 'nightly',
          scheduledTime: TICK,
          dropletId: 42,
          snapshotId: 880011,
          snapshotName: 'nightly-42-20261120T020000Z',
          snapshotCreatedAt: '2026-11-20T02:03:00Z',
          deletedAt: '2026-11-27T02:02:05Z',
          status: 'completed' as const,
        };
        // Act
        const first = await ledger.recordSnapshotDeletion(deletion);
        const second = await ledger.recordSnapshotDeletion({
          ...deletion,
          deletedAt: '2026-11-27T02:09:00Z',
        });
        const byDroplet = await ledger.queryByDroplet(42);
        const byPolicy = await ledger.queryByPolicy('nightly');
        // Assess
        expect(first).toMatchObject({
          recorded: true,
          record: {
            kind: 'snapshot-deletion',
            sk: `RUN#${TICK}#DROPLET#42#DELETED#880011`,
            snapshotId: 880011,
            deletedAt: '2026-11-27T02:02:05.000Z',
          },
        });
        expect(second).toEqual({ recorded: false, existing: first.recorded ? first.record : undefined });
        expect(byDroplet.items.map((record) => record.kind)).toEqual(['action', 'snapshot-deletion']);
        expect(byPolicy.items.map((record) => record.kind)).toEqual(['action', 'snapshot-deletion']);
      });
    });
  });
}
