import type { SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';
import { actionId, runId } from '../../../../lambdas/core/ledger/item-id';
import type { RunRecord } from '../../../../lambdas/core/ledger/run-record';
import { SKIP_TAG, skipTagsOf } from '../../../../lambdas/core/overrides/skip-tags';
import type { Policy } from '../../../../lambdas/core/policy/policy';
import { buildWorkItem } from '../../../../lambdas/core/use-cases/build-work-item';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../../../lambdas/core/use-cases/initiate-action';
import type { UseCaseDependencies } from '../../../../lambdas/core/use-cases/use-case-dependencies';
import { makePolicy } from '../../../support/make-policy';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';

const TICK = '2026-11-27T20:00:00.000Z';
const LIST = 'GET /v2/droplets';
const POST_ONE = 'POST /v2/droplets/{droplet_id}/actions';
const POST_BULK = 'POST /v2/droplets/actions';

/** The harness's runtime, with the events it publishes kept for the test to read. */
function recording(harness: LocalHarness): { deps: UseCaseDependencies; events: SchedulerEvent[] } {
  const events: SchedulerEvent[] = [];
  const deps: UseCaseDependencies = {
    ...harness.runtime,
    events: { publish: async (published) => void events.push(...published) },
  };
  return { deps, events };
}

async function dispatchAndDrain(harness: LocalHarness, deps: UseCaseDependencies, policy: Policy) {
  const outcome = await dispatchRun(deps, { policy, scheduledTime: TICK });
  expect(await harness.runtime.drain({ timeoutMs: 30_000 })).toBe(0);
  return outcome;
}

/** The droplets DigitalOcean started an action on, from the simulator's own record. */
function actedOn(harness: LocalHarness): number[] {
  return harness.simulator
    .state()
    .actions.map((action) => action.dropletId)
    .sort((a, b) => a - b);
}

describe('skip tags: a droplet tagged droplet-scheduler-skip[-<policy>] is left alone, over HTTP against the simulator', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it('names both tags for a policy, and only the global one when the policy name cannot be part of a tag', () => {
    expect(skipTagsOf('weekend-off')).toEqual([SKIP_TAG, 'droplet-scheduler-skip-weekend-off']);
    expect(skipTagsOf('nightly.v2')).toEqual([SKIP_TAG]);
  });

  it('given a bulk power_off on a tag with one skip-tagged droplet among its own, sends no bulk POST and no POST to that droplet', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0 });
    const web = [1, 2, 3].map((n) => harness.simulator.addDroplet({ name: `web-${n}`, tags: ['web'] }));
    const kept = harness.simulator.addDroplet({ name: 'web-debug', tags: ['web', SKIP_TAG] });
    const { deps, events } = recording(harness);
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { tag: 'web' },
      action: { type: 'power_off' },
    });
    // Act
    const outcome = await dispatchAndDrain(harness, deps, policy);
    // Assess
    const counts = harness.simulator.requestCounts();
    expect(counts[POST_BULK]).toBeUndefined();
    expect(counts[POST_ONE]).toBe(3);
    expect(actedOn(harness)).toEqual(web.map((droplet) => droplet.id));
    expect(outcome).toEqual({ kind: 'queued', targets: 3, skipped: 1 });
    // Two skip-tag lists, and the tag's own list once it has to be split.
    expect(counts[LIST]).toBe(3);
    const item = await deps.ledger.get(actionId('weekend-off', TICK, kept.id));
    expect(item).toMatchObject({
      status: 'skipped',
      reason: `the droplet carries the tag ${SKIP_TAG}`,
      dropletName: 'web-debug',
    });
    expect(events.filter((event) => event.detailType === 'Droplet Action Skipped')).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          dropletId: kept.id,
          reason: `the droplet carries the tag ${SKIP_TAG}`,
        }),
      }),
    ]);
    const run = (await deps.ledger.get(runId('weekend-off', TICK))) as RunRecord;
    expect(run).toMatchObject({
      status: 'dispatched',
      mode: 'per-droplet',
      targetCount: 4,
      counts: { queued: 3, skipped: 1 },
    });
  });

  it('given a bulk power_off whose tag holds no skip-tagged droplet, stays one bulk POST after the two skip-tag lists', async () => {
    // Prepare: a skip-tagged droplet exists, but outside the policy's tag.
    harness = await startLocalHarness({ droplets: 0 });
    for (const n of [1, 2, 3]) harness.simulator.addDroplet({ name: `web-${n}`, tags: ['web'] });
    harness.simulator.addDroplet({ name: 'db-1', tags: ['db', SKIP_TAG] });
    const { deps } = recording(harness);
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { tag: 'web' },
      action: { type: 'power_off' },
    });
    // Act
    const outcome = await dispatchAndDrain(harness, deps, policy);
    // Assess
    const counts = harness.simulator.requestCounts();
    expect(outcome).toEqual({ kind: 'bulk', started: 3 });
    expect(counts[POST_BULK]).toBe(1);
    expect(counts[POST_ONE]).toBeUndefined();
    expect(counts[LIST]).toBe(2);
  });

  it("given droplets by id, one with the global tag and one with the policy's own, POSTs only to the third", async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0 });
    const global = harness.simulator.addDroplet({ tags: [SKIP_TAG] });
    const own = harness.simulator.addDroplet({ tags: ['droplet-scheduler-skip-nightly'] });
    const other = harness.simulator.addDroplet({ tags: ['droplet-scheduler-skip-another-policy'] });
    const { deps } = recording(harness);
    const policy = makePolicy({
      name: 'nightly',
      targets: { dropletIds: [global.id, own.id, other.id] },
      action: { type: 'reboot' },
    });
    // Act
    await dispatchAndDrain(harness, deps, policy);
    // Assess
    expect(actedOn(harness)).toEqual([other.id]);
    expect(harness.simulator.requestCounts()[LIST]).toBe(2);
    expect(await deps.ledger.get(actionId('nightly', TICK, own.id))).toMatchObject({
      status: 'skipped',
      reason: 'the droplet carries the tag droplet-scheduler-skip-nightly',
    });
    expect(await deps.ledger.get(actionId('nightly', TICK, global.id))).toMatchObject({ status: 'skipped' });
  });

  it("given a per-droplet type on a tag, reads the skip tags from the tag's own list, with no other list request", async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0 });
    const kept = harness.simulator.addDroplet({ tags: ['web', 'droplet-scheduler-skip-reboot-web'] });
    const acted = harness.simulator.addDroplet({ tags: ['web'] });
    const { deps } = recording(harness);
    const policy = makePolicy({ name: 'reboot-web', targets: { tag: 'web' }, action: { type: 'reboot' } });
    // Act
    await dispatchAndDrain(harness, deps, policy);
    // Assess
    expect(actedOn(harness)).toEqual([acted.id]);
    expect(harness.simulator.requestCounts()[LIST]).toBe(1);
    expect(await deps.ledger.get(actionId('reboot-web', TICK, kept.id))).toMatchObject({ status: 'skipped' });
  });

  it('given a park policy on a tag with one skip-tagged droplet, records that droplet skipped at its first step (inspect) and never touches it', async () => {
    // Prepare: parking goes droplet by droplet, and its first step is an operation, not a POST.
    harness = await startLocalHarness({ droplets: 0 });
    const kept = harness.simulator.addDroplet({ name: 'db-keep', tags: ['db', SKIP_TAG] });
    const parked = harness.simulator.addDroplet({ name: 'db-1', tags: ['db'] });
    const { deps } = recording(harness);
    const policy = makePolicy({
      name: 'nightly-park',
      targets: { tag: 'db' },
      action: { type: 'shutdown' },
      timeoutMinutes: 360,
      skipWhenAlreadyInState: false,
      parking: {
        role: 'park',
        parkPolicy: 'nightly-park',
        allowIpChange: true,
        allowBackupLoss: false,
        keepSnapshots: 0,
      },
    });
    // Act
    const outcome = await dispatchAndDrain(harness, deps, policy);
    // Assess
    expect(outcome).toEqual({ kind: 'queued', targets: 1, skipped: 1 });
    expect(await deps.ledger.get(actionId('nightly-park', TICK, kept.id))).toMatchObject({
      status: 'skipped',
      type: 'inspect',
      reason: `the droplet carries the tag ${SKIP_TAG}`,
    });
    expect(actedOn(harness)).not.toContain(kept.id);
    // The other droplet's park went ahead: its inspect ran.
    expect(await deps.ledger.get(actionId('nightly-park', TICK, parked.id))).toMatchObject({
      type: 'inspect',
      status: 'completed',
    });
    expect(harness.simulator.droplet(kept.id)).toMatchObject({ status: 'active' });
  });

  it('given a work item whose droplet was tagged after dispatch looked, skips it at initiate with the GET it sends anyway', async () => {
    // Prepare: as a retry, the reconciler or a fallback step would deliver it, with no state observed.
    harness = await startLocalHarness({ droplets: 0 });
    const droplet = harness.simulator.addDroplet({ tags: [SKIP_TAG] });
    const { deps, events } = recording(harness);
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { dropletIds: [droplet.id] },
      action: { type: 'power_off' },
    });
    const work = buildWorkItem(deps, policy, TICK, { id: droplet.id });
    // Act
    const outcome = await initiateAction(deps, work);
    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason: `the droplet carries the tag ${SKIP_TAG}` });
    const counts = harness.simulator.requestCounts();
    expect(counts[POST_ONE]).toBeUndefined();
    expect(counts['GET /v2/droplets/{droplet_id}']).toBe(1);
    expect(events.map((event) => event.detailType)).toEqual(['Droplet Action Skipped']);
  });
});
