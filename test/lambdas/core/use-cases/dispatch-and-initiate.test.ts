import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../../../lambdas/core/use-cases/initiate-action';
import type { ActionRecord } from '../../../../lambdas/core/ledger/action-record';
import { actionId, runId } from '../../../../lambdas/core/ledger/item-id';
import type { LedgerRecord } from '../../../../lambdas/core/ledger/ledger-record';
import type { ActionLedger } from '../../../../lambdas/core/ports/audit-queries';
import type { Policy } from '../../../../lambdas/core/policy/policy';
import { applyEvent } from '../../../support/ledger-items';
import { makePolicy } from '../../../support/make-policy';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';

const TICK = '2026-11-27T02:00:00.000Z';
const POST_ONE = 'POST /v2/droplets/{droplet_id}/actions';
const POST_BULK = 'POST /v2/droplets/actions';

async function dispatchAndDrain(harness: LocalHarness, policy: Policy, scheduledTime = TICK): Promise<void> {
  await dispatchRun(harness.runtime, { policy, scheduledTime });
  const left = await harness.runtime.drain({ timeoutMs: 30_000 });
  expect(left).toBe(0);
}

function actionsOfType(harness: LocalHarness, type: string) {
  return harness.simulator.state().actions.filter((action) => action.type === type);
}

describe('dispatchRun and initiateAction, on dynalite and the simulator over HTTP', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it('given 50 droplets by ids, records 50 items whose action ids match the simulator', async () => {
    harness = await startLocalHarness({ droplets: 50 });
    const ids = harness.simulator.state().droplets.map((droplet) => droplet.id);
    const policy = makePolicy({
      name: 'reboot-ids',
      targets: { dropletIds: ids },
      action: { type: 'reboot' },
    });

    await dispatchAndDrain(harness, policy);

    const items = await harness.actionItems('reboot-ids');
    const simulated = actionsOfType(harness, 'reboot');
    expect(items).toHaveLength(50);
    expect(new Set(items.map((item) => item.actionId))).toEqual(
      new Set(simulated.map((action) => action.id)),
    );
    expect(items.every((item) => item.status === 'in-progress')).toBe(true);
  });

  it('given a tag of 50 and a per-droplet type, records 50 items with the droplet names', async () => {
    harness = await startLocalHarness({ droplets: 60, tags: { web: 50 } });
    const policy = makePolicy({ name: 'reboot-web', targets: { tag: 'web' }, action: { type: 'reboot' } });

    await dispatchAndDrain(harness, policy);

    const items = await harness.actionItems('reboot-web');
    expect(items).toHaveLength(50);
    expect(new Set(items.map((item) => item.actionId))).toEqual(
      new Set(actionsOfType(harness, 'reboot').map((a) => a.id)),
    );
    expect(items.every((item) => typeof item.dropletName === 'string' && item.dropletName.length > 0)).toBe(
      true,
    );
  });

  it('given the same tick dispatched 10 times at once over 200 droplets, starts exactly 200 actions', async () => {
    harness = await startLocalHarness({ droplets: 200, tags: { fleet: 200 } });
    const policy = makePolicy({
      name: 'reboot-fleet',
      targets: { tag: 'fleet' },
      action: { type: 'reboot' },
    });

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => dispatchRun(harness.runtime, { policy, scheduledTime: TICK })),
    );
    await harness.runtime.drain({ timeoutMs: 60_000 });

    expect(outcomes.filter((outcome) => outcome.kind === 'queued')).toHaveLength(1);
    expect(actionsOfType(harness, 'reboot')).toHaveLength(200);
    expect(await harness.actionItems('reboot-fleet')).toHaveLength(200);
  });

  it.each([
    ['processed, then the connection dropped, on 30% of POSTs', { dropAfterProcessRate: 0.3 }],
    ['a 5xx on 10% of requests', { serverErrorRate: 0.1 }],
  ])('given %s, leaves every droplet with exactly one action, on record', async (_, faults) => {
    harness = await startLocalHarness({ droplets: 80, faults });
    const ids = harness.simulator.state().droplets.map((droplet) => droplet.id);
    // A window of 6 s here (an hour of DigitalOcean's time): the look after a lost answer waits our
    // own lease out, which no time scale shortens.
    const policy = makePolicy({
      name: 'reboot-faulty',
      targets: { dropletIds: ids },
      action: { type: 'reboot' },
      timeoutMinutes: 60,
    });

    await dispatchAndDrain(harness, policy);

    const perDroplet = new Map<number, number>();
    for (const action of actionsOfType(harness, 'reboot')) {
      perDroplet.set(action.dropletId, (perDroplet.get(action.dropletId) ?? 0) + 1);
    }
    const items = await harness.actionItems('reboot-faulty');
    expect([...perDroplet.values()].every((count) => count === 1)).toBe(true);
    expect(perDroplet.size).toBe(80);
    expect(items.map((item) => item.actionId).sort()).toEqual(
      actionsOfType(harness, 'reboot')
        .map((a) => a.id)
        .sort(),
    );
    // The faults really fired: lost answers were followed by a look at the droplet's actions.
    expect(harness.simulator.requestCounts()['GET /v2/droplets/{droplet_id}/actions']).toBeGreaterThan(0);
  });

  it('given a busy droplet, retries and starts the action once the earlier one completes', async () => {
    harness = await startLocalHarness({ droplets: 0 });
    // A snapshot of 5 GB takes 5 to 15 minutes: 0.5 to 1.5 s at this time scale, long enough to be
    // busy however loaded the machine is; the reboot may wait an hour of DigitalOcean's time (6 s).
    const droplet = harness.simulator.addDroplet({ usedDiskGb: 5 });
    await harness.runtime.api.initiate(droplet.id, { type: 'snapshot', name: 'before' });
    const policy = makePolicy({
      name: 'reboot-busy',
      targets: { dropletIds: [droplet.id] },
      action: { type: 'reboot' },
      timeoutMinutes: 60,
    });

    await dispatchAndDrain(harness, policy, new Date(harness.simulator.now()).toISOString());

    const [item] = await harness.actionItems('reboot-busy');
    expect(item?.status).toBe('in-progress');
    expect(item?.attempts).toBeGreaterThan(1);
    expect(actionsOfType(harness, 'reboot')).toHaveLength(1);
  });

  it('given a busy droplet whose claim another delivery took over meanwhile, ends as a duplicate and queues no retry', async () => {
    harness = await startLocalHarness({ droplets: 0 });
    const droplet = harness.simulator.addDroplet({ usedDiskGb: 1 });
    // The snapshot never ends, so the droplet is surely busy when the reboot is sent.
    harness.simulator.setFaults({ stuckDropletIds: [droplet.id] });
    await harness.runtime.api.initiate(droplet.id, { type: 'snapshot', name: 'before' });
    const policy = makePolicy({
      name: 'raced',
      targets: { dropletIds: [droplet.id] },
      action: { type: 'reboot' },
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    const [queued] = harness.runtime.queue.waiting();
    const ledger = harness.runtime.ledger;
    const id = actionId('raced', TICK, droplet.id);
    // Just before this delivery gives its claim back, another one (whose clock says the lease has
    // ended) takes attempt 2 and records an action for it.
    const raced: ActionLedger = Object.assign(Object.create(ledger) as ActionLedger, {
      put: async (record: LedgerRecord, expectedVersion: number) => {
        if (record.status === 'pending' && (record as ActionRecord).attempts === 1) {
          const later = { now: new Date(Date.now() + 60_000) };
          const taken = (await applyEvent(
            ledger,
            id,
            {
              type: 'claim',
              init: {
                kind: 'action',
                policy: 'raced',
                scheduledTime: TICK,
                dropletId: droplet.id,
                type: 'reboot',
                mode: 'per-droplet',
              },
            },
            later,
          )) as ActionRecord;
          const now = new Date().toISOString();
          await applyEvent(
            ledger,
            id,
            {
              type: 'started',
              attempts: taken.attempts,
              action: { actionId: 1, startedAt: now, dueAt: now },
            },
            later,
          );
        }
        return ledger.put(record, expectedVersion);
      },
    });
    const sentBefore = harness.runtime.queue.size;

    const outcome = await initiateAction({ ...harness.runtime, ledger: raced }, queued!.item);

    expect(outcome).toEqual({ kind: 'duplicate' });
    expect(harness.runtime.queue.size).toBe(sentBefore);
    const [item] = await harness.actionItems('raced');
    expect(item).toMatchObject({ status: 'in-progress', attempts: 2, actionId: 1 });
  });

  it('given a claim whose lease has ended by the time its POST would go out, does not send it and gives the claim back', async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const [droplet] = harness.simulator.state().droplets;
    const policy = makePolicy({
      name: 'too-late',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'reboot' },
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    const [queued] = harness.runtime.queue.waiting();
    // This delivery's clock is a minute behind: the lease it takes has ended before the POST goes.
    const behind = () => new Date(Date.now() - 60_000);

    const outcome = await initiateAction({ ...harness.runtime, now: behind }, queued!.item);

    expect(outcome).toMatchObject({ kind: 'retrying', reason: 'deadline_passed' });
    expect(actionsOfType(harness, 'reboot')).toHaveLength(0);
    const [item] = await harness.actionItems('too-late');
    expect(item).toMatchObject({ status: 'pending', attempts: 1, lastAttempt: 'not-sent' });
  });

  it('given one tick dispatched with three spellings of one minute, starts its actions once', async () => {
    harness = await startLocalHarness({ droplets: 2 });
    const ids = harness.simulator.state().droplets.map((droplet) => droplet.id);
    const policy = makePolicy({ name: 'every-6h', targets: { dropletIds: ids }, action: { type: 'reboot' } });

    const outcomes = [];
    for (const spelling of ['2026-11-29T06:00:00Z', '2026-11-29T06:00:30Z', '2026-11-29T06:00:00.001Z']) {
      outcomes.push(await dispatchRun(harness.runtime, { policy, scheduledTime: spelling }));
      await harness.runtime.drain({ timeoutMs: 10_000 });
    }

    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['queued', 'duplicate', 'duplicate']);
    expect(actionsOfType(harness, 'reboot')).toHaveLength(2);
    const items = await harness.actionItems('every-6h');
    expect(new Set(items.map((item) => item.scheduledTime))).toEqual(new Set(['2026-11-29T06:00:00.000Z']));
  });

  it("given a droplet busy past the window, records it rejected with DigitalOcean's message", async () => {
    harness = await startLocalHarness({ droplets: 1, faults: {} });
    const [droplet] = harness.simulator.state().droplets;
    harness.simulator.setFaults({ stuckDropletIds: [droplet!.id] });
    await harness.runtime.api.initiate(droplet!.id, { type: 'power_cycle' });
    const policy = makePolicy({
      name: 'reboot-blocked',
      targets: { dropletIds: [droplet!.id] },
      action: { type: 'reboot' },
      timeoutMinutes: 2,
    });

    await dispatchAndDrain(harness, policy, new Date(harness.simulator.now()).toISOString());

    const [item] = await harness.actionItems('reboot-blocked');
    expect(item?.status).toBe('rejected');
    expect(item?.lastError?.message).toMatch(/pending event/i);
    expect(actionsOfType(harness, 'reboot')).toHaveLength(0);
  });

  it('given power_off on a tag of 500, makes one POST and records 500 items', async () => {
    harness = await startLocalHarness({ droplets: 500, tags: { staging: 500 } });
    const policy = makePolicy({
      name: 'off-staging',
      targets: { tag: 'staging' },
      action: { type: 'power_off' },
    });

    await dispatchAndDrain(harness, policy);

    const counts = harness.simulator.requestCounts();
    expect(counts[POST_BULK]).toBe(1);
    expect(counts[POST_ONE] ?? 0).toBe(0);
    const items = await harness.actionItems('off-staging');
    expect(items).toHaveLength(500);
    expect(items.every((item) => item.mode === 'bulk' && item.actionId !== undefined)).toBe(true);
  });

  it('given power_off by ids on droplets already off, records them skipped without a POST', async () => {
    harness = await startLocalHarness({ droplets: 0 });
    const off = [1, 2, 3].map(() => harness.simulator.addDroplet({ status: 'off' }).id);
    const on = harness.simulator.addDroplet({ status: 'active' }).id;
    const policy = makePolicy({
      name: 'off-ids',
      targets: { dropletIds: [...off, on] },
      action: { type: 'power_off' },
    });

    await dispatchAndDrain(harness, policy);

    const items = await harness.actionItems('off-ids');
    const byDroplet = new Map(items.map((item) => [item.dropletId, item]));
    expect(off.map((id) => [byDroplet.get(id)?.status, byDroplet.get(id)?.reason])).toEqual(
      off.map(() => ['skipped', 'droplet already off']),
    );
    expect(byDroplet.get(on)?.status).toBe('in-progress');
    expect(harness.simulator.requestCounts()[POST_ONE]).toBe(1);
  });

  it("given a droplet id that does not exist, records it rejected with DigitalOcean's 404 message", async () => {
    harness = await startLocalHarness({ droplets: 1 });
    const policy = makePolicy({
      name: 'reboot-ghost',
      targets: { dropletIds: [999_999] },
      action: { type: 'reboot' },
    });

    await dispatchAndDrain(harness, policy);

    const [item] = await harness.actionItems('reboot-ghost');
    expect(item?.status).toBe('rejected');
    expect(item?.lastError?.code).toBe('not_found');
    expect(item?.lastError?.message).toContain('999999');
  });

  it('given DigitalOcean unreachable while listing the tag, records the run failed so that a retry of the tick finishes it', async () => {
    harness = await startLocalHarness({ droplets: 5, tags: { web: 5 } });
    const policy = makePolicy({ name: 'retry-tick', targets: { tag: 'web' }, action: { type: 'reboot' } });
    harness.simulator.setFaults({ serverErrorRate: 1 });

    await expect(dispatchRun(harness.runtime, { policy, scheduledTime: TICK })).rejects.toThrow(/503|500/);
    const failed = await harness.runtime.ledger.get(runId('retry-tick', TICK));
    harness.simulator.setFaults({ serverErrorRate: 0 });
    const retried = await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });

    expect(failed).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/503|500/),
      lastAttempt: 'not-sent',
    });
    expect(retried).toEqual({ kind: 'queued', targets: 5 });
    expect(await harness.runtime.ledger.get(runId('retry-tick', TICK))).toMatchObject({
      status: 'dispatched',
      attempts: 2,
    });
  });

  it('given a skip date, records the tick skipped and calls nothing', async () => {
    harness = await startLocalHarness({ droplets: 2 });
    const ids = harness.simulator.state().droplets.map((droplet) => droplet.id);
    const policy = makePolicy({
      name: 'holiday',
      timezone: 'Europe/Berlin',
      skipDates: ['2026-11-27'],
      targets: { dropletIds: ids },
      action: { type: 'reboot' },
    });

    const outcome = await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });

    expect(outcome).toEqual({ kind: 'skipped', reason: expect.stringContaining('2026-11-27') });
    expect(harness.runtime.queue.size).toBe(0);
    expect(harness.simulator.state().actions).toHaveLength(0);
  });
});
