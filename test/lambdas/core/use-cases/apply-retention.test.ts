import { DETAIL_TYPES } from '../../../../lambdas/core/events/scheduler-event';
import {
  renderSnapshotName,
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
} from '../../../../lambdas/core/policy/snapshot-name';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';
import { makePolicy } from '../../../support/make-policy';
import { reconcileUntilSettled, withOwnEvents } from '../../../support/settle';

const TICK = '2026-11-27T02:00:00.000Z';

/** Takes a snapshot through the API and waits (bounded) until the simulator has it. */
async function takeSnapshot(harness: LocalHarness, dropletId: number, name: string): Promise<void> {
  const action = await harness.runtime.api.initiate(dropletId, { type: 'snapshot', name });
  for (let wait = 0; wait < 200 && harness.simulator.action(action.id)?.status === 'in-progress'; wait += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(harness.simulator.action(action.id)?.status).toBe('completed');
}

describe('snapshot retention after a reconciled snapshot', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  async function seed(): Promise<{ dropletId: number; own: string[]; foreign: string[] }> {
    harness = await startLocalHarness({ droplets: 0, timeScale: 20_000 });
    const dropletId = harness.simulator.addDroplet({ usedDiskGb: 1, tags: ['db'] }).id;
    const own = Array.from({ length: 9 }, (_, day) =>
      renderSnapshotName(DEFAULT_SNAPSHOT_NAME_TEMPLATE, {
        policy: 'nightly',
        dropletId,
        scheduledTime: new Date(Date.UTC(2026, 10, 10 + day, 2)).toISOString(),
      }),
    );
    const foreign = [
      'manual-before-upgrade',
      `nightly-2--${dropletId}-20261101-0200`,
      `nightly--${dropletId}9-20261101-0200`,
    ];
    for (const name of [foreign[0]!, ...own, foreign[1]!, foreign[2]!])
      await takeSnapshot(harness, dropletId, name);
    return { dropletId, own, foreign };
  }

  it('given 10 own and 3 foreign snapshots and keepLast 7, deletes exactly the 3 oldest own ones and records them', async () => {
    const { dropletId, own, foreign } = await seed();
    const policy = makePolicy({
      name: 'nightly',
      targets: { tag: 'db' },
      action: { type: 'snapshot' },
      retention: { keepLast: 7 },
    });
    const events = withOwnEvents(harness.runtime);

    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });
    await reconcileUntilSettled(harness, { deps: events.deps });

    const remaining = harness.simulator.state().snapshots.map((snapshot) => snapshot.name);
    expect(remaining.sort()).toEqual(
      [...own.slice(3), `nightly--${dropletId}-20261127-0200`, ...foreign].sort(),
    );
    const deletions = (await harness.runtime.ledger.queryByDroplet(dropletId)).items.filter(
      (item) => item.kind === 'snapshot-deletion',
    );
    expect(deletions.map((item) => ('snapshotName' in item ? item.snapshotName : '')).sort()).toEqual(
      own.slice(0, 3).sort(),
    );
    expect(
      events.events.events.filter((event) => event.detailType === DETAIL_TYPES.snapshotDeleted),
    ).toHaveLength(3);
  });

  it('given the new snapshot errored, deletes nothing', async () => {
    const { dropletId, own, foreign } = await seed();
    harness.simulator.setFaults({ erroredDropletIds: [dropletId] });
    const policy = makePolicy({
      name: 'nightly',
      targets: { tag: 'db' },
      action: { type: 'snapshot' },
      retention: { keepLast: 2 },
    });
    await dispatchRun(harness.runtime, { policy, scheduledTime: TICK });
    await harness.runtime.drain({ timeoutMs: 10_000 });

    await reconcileUntilSettled(harness);

    const [item] = (await harness.actionItems('nightly')).filter((record) => record.type === 'snapshot');
    expect(item?.status).toBe('errored');
    expect(
      harness.simulator
        .state()
        .snapshots.map((snapshot) => snapshot.name)
        .sort(),
    ).toEqual([...own, ...foreign].sort());
  });
});
