import { createHash } from 'node:crypto';
import { ensureLedgerTable } from '../../../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { tableKey } from '../../../../lambdas/adapters/dynamodb/ledger-layout';
import { DynaliteLedger } from '../../../../lambdas/adapters/local/dynalite-ledger';
import { startDynalite, type RunningDynalite } from '../../../../lambdas/adapters/local/start-dynalite';
import { actionId } from '../../../../lambdas/core/ledger/item-id';
import { applyEvent } from '../../../support/ledger-items';

const TABLE = 'ledger-collisions';
const TICK = '2026-11-27T02:00:00.000Z';
const DUE = '2026-11-27T02:00:10.000Z';

/** The 24 bits of the item key that dynalite appends to an index entry's key (its `hashPrefix`). */
function dynaliteHashPrefix(pk: string, sk: string): string {
  return createHash('md5').update('Outliers').update(pk).update(sk).digest('hex').slice(0, 6);
}

/** Two droplets of one tick whose items dynalite would give the same index entry, were their dueAt equal. */
function collidingDroplets(): [number, number] {
  const seen = new Map<string, number>();
  for (let dropletId = 400_000_001; ; dropletId += 1) {
    const key = tableKey(actionId('bulk-off', TICK, dropletId));
    const prefix = dynaliteHashPrefix(key.pk, key.sk);
    const other = seen.get(prefix);
    if (other !== undefined) return [other, dropletId];
    seen.set(prefix, dropletId);
  }
}

describe('the open index on dynalite', () => {
  let dynalite: RunningDynalite;
  beforeEach(async () => {
    dynalite = await startDynalite();
    await ensureLedgerTable(dynalite.client, TABLE);
  });
  afterEach(() => dynalite.close());

  test('given two bulk actions with the same dueAt whose keys collide in dynalite, when one is settled, then the other stays on the open index', async () => {
    // Arrange
    const ledger = new DynaliteLedger({ client: dynalite.client, tableName: TABLE });
    const [first, second] = collidingDroplets();
    const now = new Date(TICK);
    for (const [index, dropletId] of [first, second].entries()) {
      await applyEvent(
        ledger,
        actionId('bulk-off', TICK, dropletId),
        {
          type: 'bulk-started',
          init: {
            kind: 'action',
            policy: 'bulk-off',
            scheduledTime: TICK,
            dropletId,
            type: 'power_off',
            mode: 'bulk',
          },
          action: {
            actionId: 7_000 + index,
            startedAt: TICK,
            dueAt: DUE,
            timeoutAt: '2026-11-27T02:10:00.000Z',
          },
        },
        { now },
      );
    }

    // Act
    await applyEvent(
      ledger,
      actionId('bulk-off', TICK, first),
      { type: 'completed', actionId: 7_000, completedAt: TICK },
      { now },
    );
    await applyEvent(
      ledger,
      actionId('bulk-off', TICK, first),
      { type: 'effects-done', done: ['event'] },
      { now },
    );
    const open = await ledger.findOpenDue('2026-11-27T03:00:00.000Z', { limit: 10 });

    // Assess
    expect(open.items.map((item) => (item.kind === 'action' ? item.dropletId : undefined))).toEqual([second]);
  });
});
