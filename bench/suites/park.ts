import { expectedSaving } from '../../lambdas/core/parking/expected-saving';
import { parkingCalendar } from '../../lambdas/core/parking/parking-calendar';
import { loadPolicies } from '../../lambdas/core/policy';
import type { BenchSuite } from '../figure';

/**
 * The documented example of docs/policies.md#parking, as the policy loader expands it: running
 * Mon–Fri 09:00–17:00, parked otherwise.
 */
export const DOCUMENTED_EXAMPLE = `
defaults: { timezone: UTC }
policies:
  - name: office
    parkSchedule: { park: '17:00', unpark: '09:00', days: MON-FRI }
    targets: { tag: office }
    allowIpChange: true
`;

/** s-4vcpu-8gb as GET /v2/sizes prices it, and its used disk (the park snapshot's size). */
export const DOCUMENTED_DROPLET = { price: { hourly: 0.07143, monthly: 48 }, snapshotGb: 20 } as const;

/** The twelve months the figure averages: a virtual calendar, so that it is about the design, not the day it runs. */
export const DOCUMENTED_FROM = new Date('2027-01-01T00:00:00Z');

/**
 * What parking saves on the documented example, by the savings model of `plan` (each unpark a new
 * droplet, billed until its destroy about 45 minutes after the park; the snapshot while kept):
 *
 * - `park.saving_pct`: hourly billing, the default (what DigitalOcean's pricing page documents).
 * - `park.saving_pct_per_second`: per-second billing, which DigitalOcean's staff describe.
 */
export const parkSuite: BenchSuite = (record) => {
  const [park, unpark] = loadPolicies(DOCUMENTED_EXAMPLE, 'documented-example.yaml').policies;
  const calendar = parkingCalendar(park!, unpark!, { from: DOCUMENTED_FROM });
  const hourly = expectedSaving(calendar, { ...DOCUMENTED_DROPLET, granularity: 'hourly' });
  const perSecond = expectedSaving(calendar, { ...DOCUMENTED_DROPLET, granularity: 'per-second' });
  record({
    name: 'park.saving_pct',
    value: round(hourly.savingPct),
    unit: '% (hourly billing)',
    goal: { min: 70 },
  });
  record({
    name: 'park.saving_pct_per_second',
    value: round(perSecond.savingPct),
    unit: '% (per-second billing)',
  });
  return Promise.resolve();
};

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
