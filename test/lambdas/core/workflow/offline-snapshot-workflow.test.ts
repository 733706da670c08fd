import type { ActionRecord } from '../../../../lambdas/core/ledger/action-record';
import type { Policy } from '../../../../lambdas/core/policy/policy';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE } from '../../../../lambdas/core/policy/snapshot-name';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { reconcileActions } from '../../../../lambdas/core/use-cases/reconcile-actions';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';
import { makePolicy } from '../../../support/make-policy';
import { reconcileUntilSettled } from '../../../support/settle';

const TICK = '2026-11-27T02:00:00.000Z';

/**
 * The example: shutdown (power_off fallback) → snapshot → power_on; power_on anyway if a step
 * fails. Timeouts of an hour: at x600 that is 6 real seconds, room for a busy machine's reconcile
 * to see a step end before it is timed out.
 */
function offlineSnapshot(dropletId: number): Policy {
  return makePolicy({
    name: 'offline-snapshot',
    targets: { dropletIds: [dropletId] },
    action: { type: 'shutdown' },
    fallback: 'power_off',
    timeoutMinutes: 60,
    skipWhenAlreadyInState: true,
    steps: [
      {
        action: { type: 'snapshot' },
        timeoutMinutes: 240,
        snapshotNameTemplate: DEFAULT_SNAPSHOT_NAME_TEMPLATE,
      },
      { action: { type: 'power_on' }, timeoutMinutes: 60 },
    ],
    onFailure: { action: { type: 'power_on' }, timeoutMinutes: 60 },
  });
}

function byStep(items: readonly ActionRecord[]): string[] {
  return [...items]
    .sort((left, right) => (left.step ?? 0) - (right.step ?? 0))
    .map((item) => `${item.step ?? 0} ${item.type} ${item.status}`);
}

/** Reconciles, without draining, until the item of `type` has ended; bounded in rounds and time. */
async function reconcileUntilEnded(harness: LocalHarness, type: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let round = 0; round < 400 && Date.now() < deadline; round += 1) {
    await reconcileActions(harness.runtime);
    const items = await harness.actionItems('offline-snapshot');
    if (items.some((item) => item.type === type && !['pending', 'in-progress'].includes(item.status))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`expected ${type} to end within 20 s`);
}

describe('the workflow engine: a consistent offline snapshot, each step its own ledger item', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it('shuts the droplet down, snapshots it once it is off, and powers it on again', async () => {
    harness = await startLocalHarness({ timeScale: 600 });
    const droplet = harness.simulator.addDroplet({ name: 'db-1', usedDiskGb: 5 });

    await dispatchRun(harness.runtime, { policy: offlineSnapshot(droplet.id), scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await reconcileUntilSettled(harness, { timeoutMs: 40_000, pauseMs: 50 });

    const items = await harness.actionItems('offline-snapshot');
    // The power_off fallback (step 1) has no item: the shutdown left the droplet off.
    expect(byStep(items)).toEqual(['0 shutdown completed', '2 snapshot completed', '3 power_on completed']);
    const [shutdown, snapshot, powerOn] = [...items].sort(
      (left, right) => (left.step ?? 0) - (right.step ?? 0),
    );
    expect(snapshot?.parentActionId).toBe(shutdown?.actionId);
    expect(powerOn?.parentActionId).toBe(snapshot?.actionId);
    // Each step started only after the one before it had completed.
    expect(Date.parse(snapshot?.startedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(shutdown?.completedAt as string),
    );
    expect(Date.parse(powerOn?.startedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(snapshot?.completedAt as string),
    );
    const snapshots = harness.simulator
      .state()
      .snapshots.filter((image) => image.name.startsWith('offline-snapshot--'));
    expect(snapshots).toHaveLength(1);
    expect(harness.simulator.droplet(droplet.id)?.status).toBe('active');
  });

  it('given a snapshot that fails, skips the rest and runs onFailure: the droplet is powered on anyway', async () => {
    harness = await startLocalHarness({ timeScale: 600 });
    const droplet = harness.simulator.addDroplet({ name: 'db-2', usedDiskGb: 5 });

    await dispatchRun(harness.runtime, { policy: offlineSnapshot(droplet.id), scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await reconcileUntilEnded(harness, 'shutdown');
    // The snapshot's action, started next, will end errored.
    harness.simulator.setFaults({ erroredDropletIds: [droplet.id] });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    harness.simulator.setFaults({ erroredDropletIds: [] });
    await reconcileUntilSettled(harness, { timeoutMs: 40_000, pauseMs: 50 });

    const items = await harness.actionItems('offline-snapshot');
    expect(byStep(items)).toEqual(['0 shutdown completed', '2 snapshot errored', '4 power_on completed']);
    expect(harness.simulator.droplet(droplet.id)?.status).toBe('active');
  });
});
