import { InMemoryActionLedger } from '../../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { lineageSaving } from '../../../../lambdas/core/parking/lineage-saving';
import { readSavings } from '../../../../lambdas/core/use-cases/read-savings';
import { seedLineage, type LineageSeed } from '../../../support/lineage-items';

const PRICE_48 = { hourly: 0.07143, monthly: 48 };
const SNAPSHOT_GB_HOUR = (20 * 0.06) / 672;

/**
 * Droplet 5001 parked on Mon 1 February 2027 (destroyed 17:45), back as 5002 on Tuesday at 09:01,
 * parked again on Tuesday (destroyed 17:30), still parked on Wednesday at noon.
 */
function twoParks(dropletId: number, policy = 'office-park', name = 'web-1'): LineageSeed {
  return {
    policy,
    dropletId,
    name,
    price: PRICE_48,
    cycles: [
      {
        parkTick: '2027-02-01T17:00:00.000Z',
        parkedAt: '2027-02-01T17:45:00.000Z',
        snapshotGb: 20,
        unpark: {
          tick: '2027-02-02T09:00:00.000Z',
          createdAt: '2027-02-02T09:01:00.000Z',
          dropletId: dropletId + 1,
        },
      },
      { parkTick: '2027-02-02T17:00:00.000Z', parkedAt: '2027-02-02T17:30:00.000Z', snapshotGb: 20 },
    ],
  };
}
const TWO_PARKS = twoParks(5001);
const WEDNESDAY_NOON = new Date('2027-02-03T12:00:00Z');

describe('what parking actually saved, from a lineage', () => {
  test('given two parks recorded through the state machine, when counted hourly, then each droplet and each parked spell is billed in whole hours against the droplet left running', async () => {
    // Prepare
    const lineage = await seedLineage(new InMemoryActionLedger(), TWO_PARKS);

    // Act
    const saving = lineageSaving(lineage, { granularity: 'hourly', now: WEDNESDAY_NOON });

    // Assess, by hand: without parking one droplet from 1 February (the month of its first park) to
    // now, 60 h. With it: the first droplet 00:00–17:45 (18 h) and 5002 09:01–17:30 (9 h); its
    // snapshot while parked 17:45–09:01 (16 h) and 17:30–12:00 (19 h).
    expect(saving).toMatchObject({
      lineageId: 5001,
      dropletId: 5002,
      name: 'web-1',
      policy: 'office-park',
      status: 'parked',
      parks: 2,
      months: ['2027-02'],
      price: PRICE_48,
      keptSnapshots: { count: 0, sizeGb: 0 },
    });
    expect(saving.parkedHours).toBeCloseTo(15 + 16 / 60 + 18.5, 9);
    expect(saving.cost!.withoutParking).toBeCloseTo(60 * 0.07143, 9);
    expect(saving.cost!.dropletCost).toBeCloseTo(27 * 0.07143, 9);
    expect(saving.cost!.snapshotCost).toBeCloseTo(35 * SNAPSHOT_GB_HOUR, 9);
    expect(saving.cost!.saving).toBeCloseTo(33 * 0.07143 - 35 * SNAPSHOT_GB_HOUR, 9);
  });

  test('given the same lineage counted per second, then the hours are exact', async () => {
    const lineage = await seedLineage(new InMemoryActionLedger(), TWO_PARKS);
    const saving = lineageSaving(lineage, { granularity: 'per-second', now: WEDNESDAY_NOON });
    const droplets = 17.75 + 8 + 29 / 60;
    const parked = 15 + 16 / 60 + 18.5;
    expect(saving.cost!.dropletCost).toBeCloseTo(droplets * 0.07143, 9);
    expect(saving.cost!.snapshotCost).toBeCloseTo(parked * SNAPSHOT_GB_HOUR, 9);
    expect(saving.cost!.saving).toBeCloseTo((60 - droplets) * 0.07143 - parked * SNAPSHOT_GB_HOUR, 9);
  });

  test('given a droplet that had reached its monthly cap before its first park, then that month parking cost more, and the saving says so', async () => {
    // Prepare: parked on 30 March (a 31-day month: 713.75 h in, past the 672-hour cap), back the next morning.
    const lineage = await seedLineage(new InMemoryActionLedger(), {
      policy: 'office-park',
      dropletId: 6001,
      name: 'late-starter',
      price: PRICE_48,
      cycles: [
        {
          parkTick: '2027-03-30T17:00:00.000Z',
          parkedAt: '2027-03-30T17:45:00.000Z',
          snapshotGb: 20,
          unpark: {
            tick: '2027-03-31T09:00:00.000Z',
            createdAt: '2027-03-31T09:00:00.000Z',
            dropletId: 6002,
          },
        },
      ],
    });

    // Act
    const saving = lineageSaving(lineage, { granularity: 'hourly', now: new Date('2027-04-01T00:00:00Z') });

    // Assess: the first droplet costs its capped $48 anyway; the new one 15 h more, the snapshot 16 h.
    expect(saving.cost!.withoutParking).toBe(48);
    expect(saving.cost!.dropletCost).toBeCloseTo(48 + 15 * 0.07143, 9);
    expect(saving.cost!.saving).toBeCloseTo(-(15 * 0.07143 + 16 * SNAPSHOT_GB_HOUR), 9);
    expect(saving.cost!.costsMore).toBe(true);
  });

  test('given months asked for, then only whole months that overlap them are counted', async () => {
    const lineage = await seedLineage(new InMemoryActionLedger(), {
      ...TWO_PARKS,
      cycles: [
        {
          parkTick: '2027-01-29T17:00:00.000Z',
          parkedAt: '2027-01-29T17:40:00.000Z',
          snapshotGb: 20,
          unpark: {
            tick: '2027-02-01T09:00:00.000Z',
            createdAt: '2027-02-01T09:01:00.000Z',
            dropletId: 5002,
          },
        },
      ],
    });
    const now = new Date('2027-03-10T00:00:00Z');
    const all = lineageSaving(lineage, { granularity: 'hourly', now });
    const february = lineageSaving(lineage, {
      granularity: 'hourly',
      now,
      from: new Date('2027-02-15T00:00:00Z'),
      to: new Date('2027-02-20T00:00:00Z'),
    });
    expect(all.months).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(february.months).toEqual(['2027-02']);
    expect(february.parks).toBe(0);
    // February: the weekend's parked spell runs into Monday 09:01, then 5002 runs to the end of the
    // month (663 h, just under its cap), and the snapshot is billed for the 10 hours it was kept.
    expect(february.parkedHours).toBeCloseTo(9 + 1 / 60, 9);
    expect(february.cost!.withoutParking).toBe(48);
    expect(february.cost!.dropletCost).toBeCloseTo(663 * 0.07143, 9);
    expect(february.cost!.saving).toBeCloseTo(48 - 663 * 0.07143 - 10 * SNAPSHOT_GB_HOUR, 9);
  });

  test('given a lineage whose spec carries no price, then its saving is unknown, not zero', async () => {
    const { price: _price, ...unpriced } = TWO_PARKS;
    const lineage = await seedLineage(new InMemoryActionLedger(), unpriced);
    const saving = lineageSaving(lineage, { granularity: 'hourly', now: WEDNESDAY_NOON });
    expect(saving.cost).toBeUndefined();
    expect(saving.parks).toBe(2);
  });
});

describe('the savings read model', () => {
  test('given lineages of two policies, when read by droplet id, by policy or in all, then each selects its lineages and the total adds them up', async () => {
    // Prepare
    const ledger = new InMemoryActionLedger();
    await seedLineage(ledger, TWO_PARKS);
    await seedLineage(ledger, twoParks(7001, 'nights-park', 'db-1'));
    const { price: _price, ...unpriced } = twoParks(8001, 'nights-park', 'old');
    await seedLineage(ledger, unpriced);
    const query = { granularity: 'hourly' as const, now: WEDNESDAY_NOON };

    // Act
    const all = await readSavings(ledger, query);
    const byNewId = await readSavings(ledger, { ...query, dropletId: 5002 });
    const byPolicy = await readSavings(ledger, { ...query, policy: 'nights' });
    const unknown = await readSavings(ledger, { ...query, dropletId: 999 });

    // Assess
    expect(all.lineages.map((saving) => saving.lineageId)).toEqual([5001, 7001, 8001]);
    expect(all.unpriced).toBe(1);
    expect(all.total.saving).toBeCloseTo(2 * all.lineages[0]!.cost!.saving, 9);
    expect(byNewId.lineages.map((saving) => saving.lineageId)).toEqual([5001]);
    expect(byPolicy.lineages.map((saving) => saving.lineageId)).toEqual([7001, 8001]);
    expect(unknown).toMatchObject({ lineages: [], anyLineage: true });
  });

  test('given an empty ledger, then it says there is no lineage at all', async () => {
    const report = await readSavings(new InMemoryActionLedger(), {
      granularity: 'hourly',
      now: WEDNESDAY_NOON,
    });
    expect(report).toMatchObject({ lineages: [], unpriced: 0, anyLineage: false });
    expect(report.total.saving).toBe(0);
  });
});
