import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOCUMENTED_DROPLET, DOCUMENTED_EXAMPLE, DOCUMENTED_FROM } from '../../bench/suites/park';
import { hours, percent, usd } from '../../cli/format/money';
import { expectedSaving } from '../../lambdas/core/parking/expected-saving';
import { parkingCalendar } from '../../lambdas/core/parking/parking-calendar';
import { loadPolicies } from '../../lambdas/core/policy';

const policiesDoc = readFileSync(path.join(__dirname, '../../docs/policies.md'), 'utf8');

/** The cells of the documented example's table, row by row, as docs/policies.md shows them. */
function documentedTable(): string[][] {
  const start = policiesDoc.indexOf('**The documented example**');
  const table = policiesDoc
    .slice(start)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2, 7);
  return table.map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

describe('docs/policies.md: what parking saves', () => {
  test("given the documented example, when the savings model computes it, then every figure of the docs' table is the model's, for both granularities", () => {
    // Prepare: the same policies and droplet as the bench's park.saving_pct.
    const [park, unpark] = loadPolicies(DOCUMENTED_EXAMPLE, 'documented-example.yaml').policies;
    const calendar = parkingCalendar(park!, unpark!, { from: DOCUMENTED_FROM });

    // Act
    const hourly = expectedSaving(calendar, { ...DOCUMENTED_DROPLET, granularity: 'hourly' });
    const perSecond = expectedSaving(calendar, { ...DOCUMENTED_DROPLET, granularity: 'per-second' });
    const overheadFree = expectedSaving(calendar, {
      ...DOCUMENTED_DROPLET,
      granularity: 'hourly',
      parkMinutes: 0,
    });

    // Assess
    const twoDecimals = (value: number) => `${Number(value.toFixed(2))} h`;
    expect(documentedTable()).toEqual([
      ['without parking', usd(hourly.withoutParking), usd(perSecond.withoutParking)],
      [
        `${hourly.dropletsCreated} droplets a month, 09:00 to the destroy ~17:${hourly.parkMinutes}`,
        `${twoDecimals(hourly.dropletHours)} (9 whole hours a day): ${usd(hourly.dropletCost)}`,
        `${twoDecimals(perSecond.dropletHours)}: ${usd(perSecond.dropletCost)}`,
      ],
      [
        `the 20 GB snapshot, parked ${hours(hourly.parkedHours)} a month (and 10 min more)`,
        usd(hourly.snapshotCost),
        usd(perSecond.snapshotCost),
      ],
      ['with parking', usd(hourly.withParking), usd(perSecond.withParking)],
      [
        'saving',
        `${usd(hourly.saving)} (${percent(hourly.savingPct)})`,
        `${usd(perSecond.saving)} (${percent(perSecond.savingPct)})`,
      ],
    ]);
    expect(policiesDoc).toContain(
      `Without them the example would save about ${Math.round(overheadFree.savingPct)}%.`,
    );
    expect(hourly.dropletHours).toBe(195.75);
  });
});
