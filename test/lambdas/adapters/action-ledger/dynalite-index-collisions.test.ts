import { createHash } from 'node:crypto';
import { DynamoDbActionLedger } from '../../../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../../../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { startDynalite, type RunningDynalite } from '../../../../lambdas/adapters/dynamodb/start-dynalite';
import { DYNALITE_DUE_AT_SPREAD_MS } from '../../../../lambdas/adapters/local/open-local-ledger';
import { actionKey } from '../../../../lambdas/core/ledger/ledger-keys';

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
    const key = actionKey('bulk-off', TICK, dropletId);
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
    const ledger = new DynamoDbActionLedger({
      client: dynalite.client,
      tableName: TABLE,
      spreadDueAtMs: DYNALITE_DUE_AT_SPREAD_MS,
    });
    const [first, second] = collidingDroplets();
    const { recorded } = await ledger.recordBulkActions({
      policy: 'bulk-off',
      scheduledTime: TICK,
      type: 'power_off',
      dueAt: DUE,
      timeoutAt: '2026-11-27T02:10:00.000Z',
      actions: [first, second].map((dropletId, index) => ({
        dropletId,
        actionId: 7_000 + index,
        startedAt: TICK,
      })),
    });

    // Act
    await ledger.markTerminal(recorded[0]!, { status: 'completed' });
    const open = await ledger.findOpenDue('2026-11-27T03:00:00.000Z', { limit: 10 });

    // Assess
    expect(open.items.map((item) => item.dropletId)).toEqual([recorded[1]!.dropletId]);
  });
});
