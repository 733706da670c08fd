import type { ActionLedger } from '../../../../lambdas/core/ports/audit-queries';
import { actionId, runId } from '../../../../lambdas/core/ledger/item-id';
import type { NewAction } from '../../../../lambdas/core/state/new-item';
import { applyEvent, claimAction } from '../../../support/ledger-items';
import { DETAIL_TYPES } from '../../../../lambdas/core/events/scheduler-event';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { reconcileActions } from '../../../../lambdas/core/use-cases/reconcile-actions';
import type { Action, DropletApi, ListOptions } from '../../../../lambdas/core/ports/droplet-api';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';
import { makePolicy } from '../../../support/make-policy';
import { reconcileUntilSettled, withOwnEvents } from '../../../support/settle';

const TICK = '2026-11-27T02:00:00.000Z';
/** DigitalOcean documents no order for its action list: the reconciler must not depend on one. */
const ORDERS = ['newest-first', 'oldest-first'] as const;

describe('reconcileActions, on dynalite and the simulator over HTTP', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it.each(ORDERS)(
    'settles 120 snapshots of varied disk sizes to completed, with completedAt and a duration event each (list %s)',
    async (actionListOrder) => {
      // Prepare
      harness = await startLocalHarness({ droplets: 0, timeScale: 10_000, actionListOrder });
      const ids = Array.from(
        { length: 120 },
        (_, index) => harness.simulator.addDroplet({ disk: [25, 50, 80, 160][index % 4], tags: ['db'] }).id,
      );
      const policy = makePolicy({
        name: 'nightly',
        targets: { tag: 'db' },
        action: { type: 'snapshot' },
        timeoutMinutes: 720,
      });
      const events = withOwnEvents(harness.runtime);
      await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
      await harness.runtime.drain({ timeoutMs: 30_000 });

      // Act
      await reconcileUntilSettled(harness, { deps: events.deps, timeoutMs: 60_000 });

      // Assess
      const items = await harness.actionItems('nightly');
      expect(items).toHaveLength(ids.length);
      expect(items.filter((item) => item.status !== 'completed' || item.completedAt === undefined)).toEqual(
        [],
      );
      const completed = events.events.events.filter((event) => event.detailType === DETAIL_TYPES.completed);
      expect(completed).toHaveLength(ids.length);
      expect(
        completed.every(
          (event) => 'durationSeconds' in event.detail && (event.detail.durationSeconds ?? -1) >= 0,
        ),
      ).toBe(true);
    },
  );

  it('given two reconcilers at once over the same 200 open actions, writes each terminal status and event once', async () => {
    harness = await startLocalHarness({ droplets: 200, tags: { fleet: 200 }, timeScale: 2_000 });
    const policy = makePolicy({ name: 'reboot-all', targets: { tag: 'fleet' }, action: { type: 'reboot' } });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // reboots take a minute, 30 ms here
    const later = () => new Date(Date.now() + 60_000); // everything is due
    const first = withOwnEvents({ ...harness.runtime, now: later });
    const second = withOwnEvents({ ...harness.runtime, now: later });

    const [a, b] = await Promise.all([reconcileActions(first.deps), reconcileActions(second.deps)]);

    expect(a.completed + b.completed).toBe(200);
    const published = [...first.events.events, ...second.events.events];
    expect(published).toHaveLength(200);
    expect(new Set(published.map((event) => event.detail.dropletId)).size).toBe(200);
    const items = await harness.actionItems('reboot-all');
    expect(items.every((item) => item.status === 'completed')).toBe(true);
  });

  it.each([
    ['oldest first', (actions: Action[]) => [...actions].reverse()],
    [
      'shuffled',
      (actions: Action[]) => [...actions].sort((a, b) => ((a.id * 7919) % 101) - ((b.id * 7919) % 101)),
    ],
  ])('settles every action whatever order GET /v2/actions comes in (%s)', async (_, reorder) => {
    harness = await startLocalHarness({ droplets: 450, tags: { fleet: 450 }, timeScale: 2_000 });
    const policy = makePolicy({ name: 'any-order', targets: { tag: 'fleet' }, action: { type: 'reboot' } });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const api = harness.runtime.api;
    const reordered: DropletApi = Object.assign(Object.create(api) as DropletApi, {
      listActions: (options?: ListOptions) => reorderedPages(api, reorder, options),
    });

    await reconcileActions({ ...harness.runtime, api: reordered, now: () => new Date(Date.now() + 60_000) });

    const items = await harness.actionItems('any-order');
    expect(items.filter((item) => item.status !== 'completed')).toEqual([]);
  });

  it('given a dispatch that crashed after claiming its run, finishes the tick once the run is overdue', async () => {
    harness = await startLocalHarness({ droplets: 30, tags: { web: 30 }, timeScale: 600 });
    const policy = makePolicy({ name: 'crashed', targets: { tag: 'web' }, action: { type: 'reboot' } });
    // The crashed dispatch got as far as the claim, a minute ago; nothing was queued.
    await applyEvent(
      harness.runtime.ledger,
      runId('crashed', TICK),
      {
        type: 'claim',
        init: {
          kind: 'run',
          policy: 'crashed',
          scheduledTime: TICK,
          type: 'reboot',
          mode: 'per-droplet',
          policyDefinition: JSON.parse(JSON.stringify(policy)),
        },
      },
      { now: new Date(Date.now() - 60_000), timing: harness.runtime.timing },
    );

    const [first, second] = await Promise.all([
      reconcileActions(harness.runtime),
      reconcileActions(harness.runtime),
    ]);
    await harness.runtime.drain({ timeoutMs: 20_000 });

    expect(first.runsResumed + second.runsResumed).toBe(1);
    expect(await harness.actionItems('crashed')).toHaveLength(30);
    expect(harness.simulator.state().actions.filter((action) => action.type === 'reboot')).toHaveLength(30);
  });

  it('given a bulk dispatch that crashed after its POST, adopts the actions instead of sending it again', async () => {
    harness = await startLocalHarness({ droplets: 40, tags: { staging: 40 }, timeScale: 600 });
    const policy = makePolicy({
      name: 'bulk-crash',
      targets: { tag: 'staging' },
      action: { type: 'power_off' },
    });
    await applyEvent(
      harness.runtime.ledger,
      runId('bulk-crash', TICK),
      {
        type: 'claim',
        init: {
          kind: 'run',
          policy: 'bulk-crash',
          scheduledTime: TICK,
          type: 'power_off',
          mode: 'bulk',
          policyDefinition: JSON.parse(JSON.stringify(policy)),
        },
      },
      { timing: harness.runtime.timing },
    );
    await harness.runtime.api.initiateByTag('staging', { type: 'power_off' }); // then the dispatch died

    // Once the run's lease has ended, the reconciler takes the tick over.
    await reconcileActions({ ...harness.runtime, now: () => new Date(Date.now() + 10_000) });

    expect(await harness.actionItems('bulk-crash')).toHaveLength(40);
    expect(harness.simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(
      40,
    );
  });

  it('given a bulk power_off on a tag where some droplets are already off, records those skipped, not failed', async () => {
    harness = await startLocalHarness({ droplets: 0, timeScale: 600 });
    const off = [1, 2].map(() => harness.simulator.addDroplet({ status: 'off', tags: ['lab'] }).id);
    const on = [1, 2, 3].map(() => harness.simulator.addDroplet({ status: 'active', tags: ['lab'] }).id);
    const policy = makePolicy({ name: 'lab-off', targets: { tag: 'lab' }, action: { type: 'power_off' } });
    const events = withOwnEvents(harness.runtime);
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });

    await reconcileUntilSettled(harness, { deps: events.deps, timeoutMs: 20_000 });

    const byDroplet = new Map((await harness.actionItems('lab-off')).map((item) => [item.dropletId, item]));
    expect(off.map((id) => byDroplet.get(id)?.status)).toEqual(['skipped', 'skipped']);
    expect(byDroplet.get(off[0]!)?.reason).toMatch(/^droplet already off/);
    expect(on.map((id) => byDroplet.get(id)?.status)).toEqual(['completed', 'completed', 'completed']);
    expect(events.events.events.filter((event) => event.detailType === DETAIL_TYPES.failed)).toEqual([]);
  });

  it('given a bulk power_on errored on hundreds of droplets already on, reads their states from the droplet list, not one by one', async () => {
    harness = await startLocalHarness({ droplets: 300, tags: { fleet: 300 }, timeScale: 600 });
    const policy = makePolicy({ name: 'all-on', targets: { tag: 'fleet' }, action: { type: 'power_on' } });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });

    await reconcileUntilSettled(harness, { timeoutMs: 20_000 });

    const items = await harness.actionItems('all-on');
    expect(items.filter((item) => item.status !== 'skipped')).toEqual([]);
    expect(harness.simulator.requestCounts()['GET /v2/droplets/{droplet_id}'] ?? 0).toBe(0);
  });

  it.each(ORDERS)(
    'given a backlog of 2,400 bulk actions from two ticks, settles all of them in one pass from the action list (list %s)',
    async (actionListOrder) => {
      harness = await startLocalHarness({
        droplets: 1_200,
        tags: { fleet: 1_200 },
        timeScale: 600,
        actionListOrder,
      });
      const policy = makePolicy({
        name: 'cycle-all',
        targets: { tag: 'fleet' },
        action: { type: 'power_cycle' },
      });
      await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
      await dispatchRun(harness.runtime, { policy, scheduledTime: '2026-11-27T02:01:00.000Z' });
      await new Promise((resolve) => setTimeout(resolve, 200));

      const report = await reconcileActions(harness.runtime);

      expect(report.completed).toBe(2_400);
      const counts = harness.simulator.requestCounts();
      expect(counts['GET /v2/actions'] ?? 0).toBeLessThanOrEqual(2_400 / 200 + 2);
      expect(counts['GET /v2/actions/{action_id}'] ?? 0).toBe(0);
    },
    // 2,400 items written by dispatch and twice as many writes to settle them, on dynalite: about
    // 45 s on a quiet 2-core machine, once per list order.
    180_000,
  );

  it('times out an action stuck in DigitalOcean, with a Droplet Action Failed event', async () => {
    harness = await startLocalHarness({ droplets: 1, timeScale: 600 });
    const [droplet] = harness.simulator.state().droplets;
    harness.simulator.setFaults({ stuckDropletIds: [droplet!.id] });
    const policy = makePolicy({
      name: 'stuck',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'reboot' },
      timeoutMinutes: 5,
    });
    const events = withOwnEvents(harness.runtime);
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });

    await reconcileUntilSettled(harness, { deps: events.deps, timeoutMs: 20_000 });

    const [item] = await harness.actionItems('stuck');
    expect(item?.status).toBe('timed-out');
    expect(item?.lastError?.message).toMatch(/within 5 minutes/);
    expect(events.events.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.failed,
        detail: expect.objectContaining({ status: 'timed-out' }),
      }),
    ]);
  });

  it.each(ORDERS)(
    'given 1,000 open actions among 2,000 newer ones of another client, finds their pages instead of reading every page (list %s)',
    async (actionListOrder) => {
      harness = await startLocalHarness({
        droplets: 1_000,
        tags: { fleet: 1_000 },
        timeScale: 600,
        actionListOrder,
      });
      const policy = makePolicy({
        name: 'behind',
        targets: { tag: 'fleet' },
        action: { type: 'power_cycle' },
      });
      const pause = () => new Promise((resolve) => setTimeout(resolve, 200));
      await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
      await pause();
      for (const _ of [1, 2]) {
        await harness.runtime.api.initiateByTag('fleet', { type: 'power_cycle' });
        await pause();
      }
      const before = harness.simulator.requestCounts()['GET /v2/actions'] ?? 0;

      const report = await reconcileActions(harness.runtime);

      const counts = harness.simulator.requestCounts();
      expect(report.completed).toBe(1_000);
      expect(counts['GET /v2/actions/{action_id}'] ?? 0).toBe(0);
      // Page 1, about 2·log2(15) probes, then the 5 pages of the backlog: not all 15 pages.
      expect((counts['GET /v2/actions'] ?? 0) - before).toBeLessThanOrEqual(14);
    },
  );

  it('given an action past its timeout that a pass has no lookup left for, leaves it open until it is seen, then settles what it saw', async () => {
    harness = await startLocalHarness({ droplets: 1, timeScale: 600 });
    const [droplet] = harness.simulator.state().droplets;
    const policy = makePolicy({
      name: 'unseen',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'reboot' },
      timeoutMinutes: 1,
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 250));

    const blind = await reconcileActions(harness.runtime, { maxSingleLookups: 0 });
    const [blindItem] = await harness.actionItems('unseen');
    await reconcileActions(harness.runtime);
    const [seenItem] = await harness.actionItems('unseen');

    expect(blind.timedOut).toBe(0);
    expect(blindItem?.status).toBe('in-progress');
    expect(seenItem?.status).toBe('completed');
  });

  it('given a claim whose lease has not ended, leaves it to its holder, and takes it up once the lease has ended', async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const [droplet] = harness.simulator.state().droplets;
    const { ledger, timing } = harness.runtime;
    const claimedAt = new Date();
    // A delivery claimed the item and then went away (a crash before its POST).
    await claimAction(
      ledger,
      {
        policy: 'on-the-wire',
        scheduledTime: TICK,
        dropletId: droplet!.id,
        timeoutAt: '2099-01-01T00:00:00Z',
      },
      { now: claimedAt, timing },
    );

    const soon = await reconcileActions({
      ...harness.runtime,
      now: () => new Date(claimedAt.getTime() + timing.actionLeaseMs / 2),
    });
    const [held] = await harness.actionItems('on-the-wire');
    const later = await reconcileActions({
      ...harness.runtime,
      now: () => new Date(claimedAt.getTime() + timing.actionLeaseMs + timing.clockSkewMs + 1_100),
    });
    const [taken] = await harness.actionItems('on-the-wire');

    expect(soon.claimsResolved).toBe(0);
    expect(held).toMatchObject({ status: 'pending', attempts: 1 });
    expect(later.claimsResolved).toBe(1);
    // It looked first (the first attempt may have sent its POST), found nothing, and sent it.
    expect(taken).toMatchObject({ status: 'in-progress', attempts: 2 });
    expect(harness.simulator.state().actions.filter((action) => action.type === 'reboot')).toHaveLength(1);
    expect(harness.simulator.requestCounts()['GET /v2/droplets/{droplet_id}/actions']).toBe(1);
  });

  it("given an abandoned claim and an older tick's late action on the same droplet, does not adopt the other item's action", async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const [droplet] = harness.simulator.state().droplets;
    const { ledger, api, timing } = harness.runtime;
    const init = (scheduledTime: string): NewAction => ({
      kind: 'action',
      policy: 'overlap',
      scheduledTime,
      dropletId: droplet!.id,
      type: 'reboot',
      mode: 'per-droplet',
      timeoutAt: '2099-01-01T00:00:00Z',
    });
    const longAgo = { now: new Date(Date.now() - 120_000), timing };
    await claimAction(ledger, init('2026-11-27T02:02:00.000Z'), longAgo);
    const older = await claimAction(ledger, init(TICK), longAgo);
    // The older tick's POST went out after the newer claim, and its answer was recorded.
    const late = await api.initiate(droplet!.id, { type: 'reboot' });
    await applyEvent(
      ledger,
      actionId('overlap', TICK, droplet!.id),
      {
        type: 'started',
        attempts: older.attempts,
        action: { actionId: late.id, startedAt: late.startedAt, dueAt: '2099-01-01T00:00:00Z' },
      },
      { now: new Date(Date.now() - 120_000), timing },
    );
    await new Promise((resolve) => setTimeout(resolve, 250)); // the late reboot finishes

    // Well after every claim's lease and the adoption delay: the newer claim is taken up.
    await reconcileActions({ ...harness.runtime, now: () => new Date(Date.now() + 60_000) });

    const newer = (await harness.actionItems('overlap')).find((item) => item.scheduledTime !== TICK);
    expect(newer).toMatchObject({ status: 'in-progress', attempts: 2 });
    expect(newer?.actionId).not.toBe(late.id);
    expect(harness.simulator.state().actions.filter((action) => action.type === 'reboot')).toHaveLength(2);
  });

  it('given two claims that both lost their answers and one action on the droplet, lets exactly one of them adopt it', async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const [droplet] = harness.simulator.state().droplets;
    const { ledger, api, timing } = harness.runtime;
    const longAgo = { now: new Date(Date.now() - 120_000), timing };
    for (const scheduledTime of [TICK, '2026-11-27T02:02:00.000Z']) {
      await claimAction(
        ledger,
        { policy: 'both-lost', scheduledTime, dropletId: droplet!.id, timeoutAt: '2099-01-01T00:00:00Z' },
        longAgo,
      );
    }
    // One of the two POSTs reached DigitalOcean; neither answer was recorded.
    const sent = await api.initiate(droplet!.id, { type: 'reboot' });
    const reconcileLater = () =>
      reconcileActions({ ...harness.runtime, now: () => new Date(Date.now() + 60_000) });

    await Promise.all([reconcileLater(), reconcileLater()]);

    const items = await harness.actionItems('both-lost');
    const owners = items.filter((item) => item.actionId === sent.id);
    expect(owners).toHaveLength(1);
    expect(items.every((item) => item.status === 'in-progress')).toBe(true);
    // The other sent its own: two claims, two actions, each on record once.
    const reboots = harness.simulator.state().actions.filter((action) => action.type === 'reboot');
    expect(reboots).toHaveLength(2);
    expect(new Set(items.map((item) => item.actionId))).toEqual(new Set(reboots.map((action) => action.id)));
  });

  it('given a claim past its timeout that a delivery takes up again just after the reconciler read it, neither gives it up nor sends it again', async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const [droplet] = harness.simulator.state().droplets;
    const { ledger, timing } = harness.runtime;
    const init: NewAction = {
      kind: 'action',
      policy: 'retaken',
      scheduledTime: TICK,
      dropletId: droplet!.id,
      type: 'reboot',
      mode: 'per-droplet',
      timeoutAt: TICK,
    };
    await claimAction(ledger, init, { now: new Date(Date.now() - 120_000), timing });
    const id = actionId('retaken', TICK, droplet!.id);
    // Between the reconciler's read and its write, a redelivery takes attempt 2 (and is sending).
    const retaking = Object.assign(Object.create(ledger) as ActionLedger, {
      findOpenDue: async (...args: Parameters<ActionLedger['findOpenDue']>) => {
        const page = await ledger.findOpenDue(...args);
        if (page.items.some((item) => item.kind === 'action' && item.policy === 'retaken')) {
          await applyEvent(ledger, id, { type: 'claim', init }, { timing });
        }
        return page;
      },
    });

    const report = await reconcileActions({ ...harness.runtime, ledger: retaking });

    const [item] = await harness.actionItems('retaken');
    expect(report.timedOut).toBe(0);
    expect(item).toMatchObject({ status: 'pending', attempts: 2 });
    expect(harness.simulator.state().actions).toHaveLength(0);
  });

  it('given one run that cannot be resumed beside due actions, settles the actions and records why on the run', async () => {
    harness = await startLocalHarness({ droplets: 20, tags: { web: 10, db: 10 }, timeScale: 2_000 });
    const reboots = makePolicy({ name: 'reboot-db', targets: { tag: 'db' }, action: { type: 'reboot' } });
    await dispatchRun(harness.runtime, { policy: reboots, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 20_000 });
    // A tick of another policy whose dispatch went away after its claim.
    const stranded = makePolicy({ name: 'stranded', targets: { tag: 'web' }, action: { type: 'reboot' } });
    await applyEvent(
      harness.runtime.ledger,
      runId('stranded', TICK),
      {
        type: 'claim',
        init: {
          kind: 'run',
          policy: 'stranded',
          scheduledTime: TICK,
          type: 'reboot',
          mode: 'per-droplet',
          policyDefinition: JSON.parse(JSON.stringify(stranded)),
        },
      },
      { now: new Date(Date.now() - 60_000), timing: harness.runtime.timing },
    );
    await new Promise((resolve) => setTimeout(resolve, 200)); // the reboots finish
    // The work queue refuses everything (SQS unreachable): resuming the run fails.
    const broken = {
      send: async () => Promise.reject(new Error('SQS SendMessageBatch failed: endpoint unreachable')),
    };

    const report = await reconcileActions({
      ...harness.runtime,
      queue: broken,
      now: () => new Date(Date.now() + 60_000),
    });

    expect(report.completed).toBe(10);
    expect(report.failures).toBe(1);
    expect(report.firstFailure).toMatch(/^stranded .*SQS SendMessageBatch failed/);
    expect(await harness.runtime.ledger.get(runId('stranded', TICK))).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('SQS SendMessageBatch failed'),
      dueAt: expect.any(String),
    });
    expect((await harness.actionItems('reboot-db')).map((item) => item.status)).toEqual(
      Array(10).fill('completed'),
    );
  });

  it('given a reconciler that dies between a final write and its event, publishes the event once, on a later pass', async () => {
    harness = await startLocalHarness({ droplets: 1, timeScale: 2_000 });
    const [droplet] = harness.simulator.state().droplets;
    const policy = makePolicy({
      name: 'crash-in-between',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'reboot' },
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = Date.now() + 60_000;
    // The first reconciler's process dies as it publishes: its final write is made, its event is not.
    const dying = { publish: async () => Promise.reject(new Error('the process died')) };
    const first = await reconcileActions({ ...harness.runtime, events: dying, now: () => new Date(later) });
    const [afterCrash] = await harness.actionItems('crash-in-between');
    const events = withOwnEvents(harness.runtime);

    const second = await reconcileActions({
      ...events.deps,
      now: () => new Date(later + harness.runtime.timing.effectsGraceMs + 1_000),
    });
    const third = await reconcileActions({
      ...events.deps,
      now: () => new Date(later + 2 * harness.runtime.timing.effectsGraceMs + 2_000),
    });

    expect(first.completed).toBe(1);
    expect(afterCrash).toMatchObject({ status: 'completed', outbox: ['event'] });
    expect(second.effectsRecovered).toBe(1);
    expect(third.examined).toBe(0);
    expect(events.events.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.completed,
        detail: expect.objectContaining({
          eventId: `crash-in-between ${TICK} droplet ${droplet!.id}#completed`,
        }),
      }),
    ]);
    const [settled] = await harness.actionItems('crash-in-between');
    expect(settled?.outbox).toBeUndefined();
    expect(settled?.dueAt).toBeUndefined();
  });

  it("given a newer tick's power_on since a shutdown started, records the shutdown's power_off fallback skipped, naming that tick", async () => {
    harness = await startLocalHarness({
      droplets: 0,
      timeScale: 600,
      faults: { ineffectiveShutdownRate: 1 },
    });
    const droplet = harness.simulator.addDroplet({ tags: ['office'] });
    const off = makePolicy({
      name: 'office-off',
      targets: { tag: 'office' },
      action: { type: 'shutdown' },
      fallback: 'power_off',
    });
    const on = makePolicy({
      name: 'office-on',
      targets: { tag: 'office' },
      action: { type: 'power_on' },
      skipWhenAlreadyInState: false,
    });
    await dispatchRun(harness.runtime, { policy: off, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the shutdown finishes; the droplet runs on
    await dispatchRun(harness.runtime, { policy: on, scheduledTime: '2026-11-27T02:01:00.000Z' });
    await harness.runtime.drain({ timeoutMs: 10_000 });

    await reconcileUntilSettled(harness, { timeoutMs: 20_000 });

    const fallback = (await harness.actionItems('office-off')).find((item) => item.step === 1);
    expect(fallback).toMatchObject({
      type: 'power_off',
      status: 'skipped',
      reason: expect.stringContaining("office-on's tick 2026-11-27T02:01:00.000Z started power_on"),
    });
    expect(harness.simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(0);
    expect(harness.simulator.droplet(droplet.id)?.status).toBe('active');
  });

  it('given a shutdown that never completes, starts the power_off fallback once, linked, and the droplet ends off', async () => {
    harness = await startLocalHarness({ droplets: 1, timeScale: 600 });
    const [droplet] = harness.simulator.state().droplets;
    harness.simulator.setFaults({ stuckDropletIds: [droplet!.id] });
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'shutdown' },
      fallback: 'power_off',
      timeoutMinutes: 5,
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    harness.simulator.setFaults({ stuckDropletIds: [] });

    // Many rounds, some of them concurrent, must still start the child once.
    await Promise.all([
      reconcileUntilSettled(harness, { timeoutMs: 20_000 }),
      reconcileUntilSettled(harness, { timeoutMs: 20_000 }),
    ]);

    const items = await harness.actionItems('weekend-off');
    const parent = items.find((item) => item.type === 'shutdown');
    const child = items.find((item) => item.type === 'power_off');
    expect(parent?.status).toBe('timed-out');
    expect(child?.parentActionId).toBe(parent?.actionId);
    expect(child?.status).toBe('completed');
    expect(harness.simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(1);
    expect(harness.simulator.droplet(droplet!.id)?.status).toBe('off');
  });

  it('given a shutdown that completes while the droplet keeps running, powers it off', async () => {
    harness = await startLocalHarness({
      droplets: 1,
      timeScale: 600,
      faults: { ineffectiveShutdownRate: 1 },
    });
    const [droplet] = harness.simulator.state().droplets;
    const policy = makePolicy({
      name: 'stubborn',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'shutdown' },
      fallback: 'power_off',
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });

    await reconcileUntilSettled(harness, { timeoutMs: 20_000 });

    const items = await harness.actionItems('stubborn');
    expect(items.map((item) => [item.type, item.status]).sort()).toEqual([
      ['power_off', 'completed'],
      ['shutdown', 'completed'],
    ]);
    expect(harness.simulator.droplet(droplet!.id)?.status).toBe('off');
  });
});

/** The account's action list in another order, re-paged: DigitalOcean does not document the order. */
async function* reorderedPages(
  api: DropletApi,
  reorder: (actions: Action[]) => Action[],
  options?: ListOptions,
): AsyncGenerator<readonly Action[]> {
  const all: Action[] = [];
  for await (const page of api.listActions({ ...options, startPage: 1 })) all.push(...page);
  const sorted = reorder(all);
  const first = ((options?.startPage ?? 1) - 1) * 200;
  for (let start = first; start < sorted.length; start += 200) yield sorted.slice(start, start + 200);
  if (first >= sorted.length) yield [];
}
