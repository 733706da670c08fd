import { InMemoryActionLedger } from '../../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { actionId } from '../../../../lambdas/core/ledger/item-id';
import { parkingWorkflow } from '../../../../lambdas/core/parking/parking-workflow';
import { unparkUnfinished } from '../../../../lambdas/core/parking/unpark-unfinished';
import { makePolicy } from '../../../support/make-policy';
import { applyEvent, claimAction } from '../../../support/ledger-items';
import { seedLineage } from '../../../support/lineage-items';

const PARK_TICK = '2026-11-27T20:00:00.000Z';
const UNPARK_TICK = '2026-11-28T07:00:00.000Z';
const FIRST_ID = 400000001;
const NEW_ID = 400000002;

const unpark = makePolicy({
  name: 'nights-unpark',
  targets: { tag: 'nightly' },
  action: { type: 'power_on' },
  parking: {
    role: 'unpark',
    parkPolicy: 'nights-park',
    allowIpChange: true,
    allowBackupLoss: false,
    keepSnapshots: 0,
  },
});
const workflow = parkingWorkflow(unpark, { id: FIRST_ID }, UNPARK_TICK);

/** A lineage parked at PARK_TICK and created again by the unpark of UNPARK_TICK, as the engine records it. */
async function unparked(ledger: InMemoryActionLedger) {
  return seedLineage(ledger, {
    policy: 'nights-park',
    dropletId: FIRST_ID,
    name: 'db-1',
    cycles: [
      {
        parkTick: PARK_TICK,
        parkedAt: '2026-11-27T20:40:00.000Z',
        snapshotGb: 2,
        unpark: { tick: UNPARK_TICK, createdAt: '2026-11-28T07:01:00.000Z', dropletId: NEW_ID },
      },
    ],
  });
}

/** Claims one step of the unpark, as initiate would; then, when `done`, records it finished. */
async function unparkStep(ledger: InMemoryActionLedger, step: number, done: boolean) {
  const claimed = await claimAction(
    ledger,
    {
      policy: unpark.name,
      scheduledTime: UNPARK_TICK,
      dropletId: FIRST_ID,
      type: workflow.steps[step]!.type,
      workflow,
      ...(step > 0 ? { step } : {}),
    },
    { now: new Date(UNPARK_TICK) },
  );
  if (!done) return claimed;
  return applyEvent(
    ledger,
    actionId(unpark.name, UNPARK_TICK, FIRST_ID, step),
    { type: 'done', attempts: claimed.attempts, result: 'ok' },
    { now: new Date(UNPARK_TICK) },
  );
}

describe('a park waits for the unpark before it to finish', () => {
  test('given the unpark still creating the droplet it recorded, then the park waits, naming the step', async () => {
    const ledger = new InMemoryActionLedger();
    const lineage = await unparked(ledger);
    await unparkStep(ledger, 0, false);

    expect(await unparkUnfinished(ledger, lineage)).toBe(
      `its unpark nights-unpark of ${UNPARK_TICK} has not finished (create pending)`,
    );
  });

  test('given its create done and its restore still open, then the park waits for the restore', async () => {
    const ledger = new InMemoryActionLedger();
    const lineage = await unparked(ledger);
    await unparkStep(ledger, 0, true);
    await unparkStep(ledger, 1, false);

    expect(await unparkUnfinished(ledger, lineage)).toMatch(/has not finished \(restore pending\)$/);
  });

  test('given its create done and its restore not written yet (the outbox still to run), then the park waits', async () => {
    const ledger = new InMemoryActionLedger();
    const lineage = await unparked(ledger);
    await unparkStep(ledger, 0, true);

    expect(await unparkUnfinished(ledger, lineage)).toMatch(/has not finished \(create completed\)$/);
  });

  test('given every step of the unpark finished, then nothing holds the park back', async () => {
    const ledger = new InMemoryActionLedger();
    const lineage = await unparked(ledger);
    for (const step of [0, 1, 2]) await unparkStep(ledger, step, true);
    // The last step's outbox (its event) is not a step to wait for.
    const last = await ledger.get(actionId(unpark.name, UNPARK_TICK, FIRST_ID, 2));
    expect(last?.kind === 'action' && last.outbox?.includes('next-step')).toBe(false);

    expect(await unparkUnfinished(ledger, lineage)).toBeUndefined();
  });
});
