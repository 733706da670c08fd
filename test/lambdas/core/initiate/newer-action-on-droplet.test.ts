import { InMemoryActionLedger } from '../../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { newerActionOnDroplet } from '../../../../lambdas/core/initiate/newer-action-on-droplet';
import { claimAction } from '../../../support/ledger-items';

const PARK_TICK = '2026-11-27T20:00:00.000Z';
const STEP_BEFORE_STARTED = '2026-11-27T20:05:00.000Z';

describe('newerActionOnDroplet: one droplet, one order', () => {
  it.each([
    ['power_on', 'destroy', true],
    ['power_on', 'power_off', true],
    ['snapshot', 'destroy', false],
    ['power_on', 'snapshot', false],
  ] as const)(
    "given a newer tick's %s after the step before started, a later %s step gives way: %s",
    async (newerType, laterStep, givesWay) => {
      const ledger = new InMemoryActionLedger();
      await claimAction(
        ledger,
        { policy: 'by-hand', scheduledTime: '2026-11-27T20:10:00.000Z', dropletId: 7, type: newerType },
        { now: new Date('2026-11-27T20:10:00.000Z') },
      );

      const newer = await newerActionOnDroplet(ledger, {
        policy: 'nights-park',
        scheduledTime: PARK_TICK,
        dropletId: 7,
        type: laterStep,
        parentStartedAt: STEP_BEFORE_STARTED,
      });

      expect(newer === undefined ? 'proceeds' : `gives way to ${newer.type}`).toBe(
        givesWay ? `gives way to ${newerType}` : 'proceeds',
      );
    },
  );
});
