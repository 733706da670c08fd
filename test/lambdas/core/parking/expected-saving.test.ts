import {
  billedHours,
  billMonth,
  dropletCharge,
  snapshotCharge,
  utcMonths,
} from '../../../../lambdas/core/parking/droplet-billing';
import { expectedSaving, estimatedParkMinutes } from '../../../../lambdas/core/parking/expected-saving';
import {
  parkingCalendar,
  scheduledParkedHours,
  type ScheduledPolicy,
} from '../../../../lambdas/core/parking/parking-calendar';
import { loadPolicies } from '../../../../lambdas/core/policy';

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** s-4vcpu-8gb, as GET /v2/sizes prices it. */
const PRICE_48 = { hourly: 0.07143, monthly: 48 };
/** s-1vcpu-512mb-10gb. */
const PRICE_4 = { hourly: 0.00595, monthly: 4 };

/** The two policies a parkSchedule expands into, through the policy loader. */
function parkSchedule(entry: string): { park: ScheduledPolicy; unpark: ScheduledPolicy } {
  const set = loadPolicies(
    `defaults: { timezone: UTC }\npolicies:\n  - name: office\n    targets: { tag: staging }\n    allowIpChange: true\n${entry
      .trim()
      .split('\n')
      .map((line) => `    ${line}`)
      .join('\n')}\n`,
    'policies.yaml',
  );
  const [park, unpark] = set.policies;
  return { park: park!, unpark: unpark! };
}

/** Mon–Fri 09:00–17:00 running, parked otherwise: the documented example. */
const OFFICE_HOURS = parkSchedule("parkSchedule: { park: '17:00', unpark: '09:00', days: MON-FRI }");

/** February 2027: 28 days from a Monday, exactly four weeks and exactly 672 hours. */
const FEBRUARY_2027 = new Date('2027-02-01T00:00:00Z');

describe('DigitalOcean billing rules', () => {
  test.each([
    ['hourly', 0, 0],
    ['hourly', 1, 1],
    ['hourly', 8 * HOUR + 45 * MINUTE, 9],
    ['hourly', 8 * HOUR, 8],
    ['per-second', 30_000, 60 / 3600],
    ['per-second', 8 * HOUR + 45 * MINUTE, 8.75],
  ] as const)(
    'given %s billing, when an item exists %d ms, then %d hours are billed',
    (granularity, ms, hours) => {
      expect(billedHours(ms, granularity)).toBeCloseTo(hours, 9);
    },
  );

  test('given a droplet that exists 700 hours in a month, when billed, then it costs its monthly price (the 672-hour cap)', () => {
    expect(dropletCharge(700 * HOUR, PRICE_48, 'hourly')).toBe(48);
    expect(dropletCharge(671 * HOUR, PRICE_48, 'hourly')).toBeCloseTo(47.93, 2);
    expect(dropletCharge(700 * HOUR, PRICE_48, 'per-second')).toBe(48);
  });

  test('given per-second billing, when a $4 droplet exists 10 seconds, then it costs the $0.01 minimum', () => {
    expect(dropletCharge(10_000, PRICE_4, 'per-second')).toBe(0.01);
    expect(dropletCharge(10_000, PRICE_4, 'hourly')).toBe(0.00595);
  });

  test('given a 20 GB snapshot, when kept 336 hours, a 672-hour month or a 744-hour month, then it costs $0.60, $1.20, $1.20', () => {
    expect(snapshotCharge(336 * HOUR, 20, 'hourly')).toBeCloseTo(0.6, 9);
    expect(snapshotCharge(672 * HOUR, 20, 'hourly')).toBeCloseTo(1.2, 9);
    expect(snapshotCharge(744 * HOUR, 20, 'per-second')).toBeCloseTo(1.2, 9);
  });

  test('given a 31-day month, when one droplet exists all month, then it costs its monthly price, but two droplets of half a month each cost more', () => {
    const [march] = utcMonths(Date.parse('2027-03-01T00:00Z'), Date.parse('2027-03-02T00:00Z'));
    const whole = { start: march!.start, end: march!.end };
    const half = march!.start + 372 * HOUR;
    const bill = billMonth(march!, {
      coverage: whole,
      price: PRICE_48,
      granularity: 'hourly',
      droplets: [
        { start: march!.start, end: half },
        { start: half, end: march!.end },
      ],
      snapshots: [],
    });
    expect(bill.month).toBe('2027-03');
    expect(bill.withoutParking).toBe(48);
    // Each droplet is its own billing item: 2 × 372 h × $0.07143, with no cap reached by either.
    expect(bill.dropletCost).toBeCloseTo(2 * 372 * 0.07143, 6);
    expect(bill.dropletCost).toBeGreaterThan(48);
  });

  test('given two 30-minute droplets in a month, when billed hourly, then each is a whole hour; per second, half an hour each', () => {
    const [month] = utcMonths(FEBRUARY_2027.getTime(), FEBRUARY_2027.getTime() + 1);
    const at = FEBRUARY_2027.getTime();
    const droplets = [
      { start: at, end: at + 30 * MINUTE },
      { start: at + HOUR, end: at + 90 * MINUTE },
    ];
    const input = { coverage: { start: at, end: at }, price: PRICE_48, snapshots: [], droplets };
    expect(billMonth(month!, { ...input, granularity: 'hourly' }).dropletHours).toBe(2);
    expect(billMonth(month!, { ...input, granularity: 'per-second' }).dropletHours).toBeCloseTo(1, 9);
  });
});

describe('the expected saving of a park schedule', () => {
  test('given the documented example over February 2027, when billed hourly, then each weekday is a droplet of 9 whole hours and the saving is $34.19 (71.2%)', () => {
    // Prepare: 20 weekdays, each a droplet from 09:00 to its destroy 45 min after the 17:00 park.
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: FEBRUARY_2027,
      months: 1,
    });
    expect(estimatedParkMinutes(20)).toBe(45);

    // Act
    const saving = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'hourly' });

    // Assess: by hand. Droplets: 20 × 9 h × $0.07143 = $12.8574. The snapshot, kept from each park
    // tick until 10 min after the unpark, in whole hours within February: Mon 1st 00:00–09:10 (10 h),
    // 16 weeknights of 16 h 10 min (17 h each, 272 h), 3 weekends of 64 h 10 min (65 h each, 195 h)
    // and Fri 26th 17:00 to the end of the month (55 h): 532 h × 20 GB × $0.06 / 672 h = $0.95.
    expect(saving.firstMonth).toBe('2027-02');
    expect(saving.dropletsCreated).toBe(20);
    expect(saving.dropletHours).toBe(180);
    expect(saving.withoutParking).toBe(48);
    expect(saving.dropletCost).toBeCloseTo(12.8574, 6);
    expect(saving.snapshotCost).toBeCloseTo(0.95, 6);
    expect(saving.saving).toBeCloseTo(34.1926, 6);
    expect(saving.savingPct).toBeCloseTo(71.235, 2);
    expect(saving.costsMore).toBe(false);
    // Parked by the schedule: 672 h less 20 × 8 h.
    expect(saving.parkedHours).toBe(512);
  });

  test('given the same example billed per second, then the droplets cost 20 × 8.75 h and the snapshot its exact hours', () => {
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: FEBRUARY_2027,
      months: 1,
    });
    const saving = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'per-second' });
    // 9 h 10 min + 16 × 16 h 10 min + 3 × 64 h 10 min + 55 h = 515 h 20 min of snapshot.
    const snapshotHours = 9 + 10 / 60 + 16 * (16 + 10 / 60) + 3 * (64 + 10 / 60) + 55;
    expect(saving.dropletHours).toBeCloseTo(175, 9);
    expect(saving.dropletCost).toBeCloseTo(175 * 0.07143, 6);
    expect(saving.snapshotCost).toBeCloseTo((snapshotHours * 20 * 0.06) / 672, 6);
    expect(saving.savingPct).toBeCloseTo(72.04, 2);
  });

  test('given the documented example over the twelve months of 2027, then hourly saves 68.7% and per second 69.6%', () => {
    // This is the bench's park.saving_pct: a 45-minute park costs a whole hour a day when billed hourly.
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: new Date('2027-01-01T00:00:00Z'),
    });
    const hourly = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'hourly' });
    const perSecond = expectedSaving(calendar, {
      price: PRICE_48,
      snapshotGb: 20,
      granularity: 'per-second',
    });
    expect([hourly.firstMonth, hourly.lastMonth, hourly.months]).toEqual(['2027-01', '2027-12', 12]);
    // 261 weekdays in 2027, 9 billed hours each.
    expect(hourly.dropletHours * 12).toBe(261 * 9);
    expect(hourly.savingPct).toBeCloseTo(68.72, 2);
    expect(perSecond.savingPct).toBeCloseTo(69.6, 2);
    expect(perSecond.saving).toBeGreaterThan(hourly.saving);
  });

  test('given a park of one hour a night, when billed hourly, then 28 droplets of 24 billed hours cost more than the capped monthly price, and it says so', () => {
    const { park, unpark } = parkSchedule("parkSchedule: { park: '03:00', unpark: '04:00', days: MON-SUN }");
    const calendar = parkingCalendar(park, unpark, { from: FEBRUARY_2027, months: 1 });
    const saving = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'hourly' });
    // Each day's droplet runs 04:00 → 03:45 the next day: 23 h 45 min, billed as 24 h, each capped on its own.
    expect(saving.dropletHours).toBe(28 * 24);
    expect(saving.withoutParking).toBe(48);
    expect(saving.dropletCost).toBeGreaterThan(48);
    expect(saving.costsMore).toBe(true);
    expect(saving.saving).toBeLessThan(0);
    expect(saving.savingPct).toBeLessThan(0);
  });

  test('given a $4 droplet with an 80 GB snapshot parked at night, then the snapshot costs more than parking saves on the droplet', () => {
    const { park, unpark } = parkSchedule("parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }");
    const calendar = parkingCalendar(park, unpark, { from: FEBRUARY_2027, months: 1 });
    const saving = expectedSaving(calendar, { price: PRICE_4, snapshotGb: 80, granularity: 'per-second' });
    // 80 GB at $0.06 is $4.80 a month if kept all month; parked about two thirds of it, about $3.
    expect(saving.snapshotCost).toBeGreaterThan(saving.withoutParking - saving.dropletCost);
    expect(saving.costsMore).toBe(true);
    expect(saving.withParking).toBeGreaterThan(4);
  });

  test('given keepSnapshots 1, then one more snapshot is billed all month', () => {
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: FEBRUARY_2027,
      months: 1,
    });
    const input = { price: PRICE_48, snapshotGb: 20, granularity: 'per-second' as const };
    const none = expectedSaving(calendar, input);
    const one = expectedSaving(calendar, { ...input, keepSnapshots: 1 });
    // One kept snapshot all 672 hours of February ($1.20), plus the 10-minute overlaps of each rotation.
    expect(one.snapshotCost - none.snapshotCost).toBeGreaterThanOrEqual(1.2);
    expect(one.snapshotCost - none.snapshotCost).toBeLessThan(1.25);
    expect(one.dropletCost).toBe(none.dropletCost);
  });

  test('given a skip date on a Wednesday, when the park tick falls on it, then the droplet runs on to Thursday evening as one droplet', () => {
    const { park, unpark } = parkSchedule(
      "parkSchedule: { park: '17:00', unpark: '09:00', days: MON-FRI }\nskipDates: [2027-02-10]",
    );
    const calendar = parkingCalendar(park, unpark, { from: FEBRUARY_2027, months: 1 });
    const saving = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'hourly' });
    // Wed 10th has neither tick: Tue's park holds until Thu 09:00, then one droplet runs Thu 09:00–17:45.
    // So: 18 droplets of 9 h, and the unpark of Wednesday never happens.
    expect(saving.dropletsCreated).toBe(19);
    expect(saving.dropletHours).toBe(19 * 9);
  });

  test('given a disabled unpark policy, then a parked droplet stays parked and only its snapshot is billed', () => {
    const calendar = parkingCalendar(
      OFFICE_HOURS.park,
      { ...OFFICE_HOURS.unpark, enabled: false },
      {
        from: FEBRUARY_2027,
        months: 1,
      },
    );
    const saving = expectedSaving(calendar, { price: PRICE_48, snapshotGb: 20, granularity: 'hourly' });
    expect(saving.dropletCost).toBe(0);
    expect(saving.snapshotCost).toBeCloseTo(1.2, 9);
    expect(saving.parkedHours).toBe(672);
  });

  test('given a schedule only, then the hours it parks a month are known without any price', () => {
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: FEBRUARY_2027,
      months: 1,
    });
    expect(scheduledParkedHours(calendar)).toEqual({ parkedHours: 512, monthHours: 672 });
  });

  test('given a time in the middle of a month, then the calendar starts with the next whole month', () => {
    const calendar = parkingCalendar(OFFICE_HOURS.park, OFFICE_HOURS.unpark, {
      from: new Date('2027-02-14T12:00:00Z'),
      months: 2,
    });
    expect(new Date(calendar.from).toISOString()).toBe('2027-03-01T00:00:00.000Z');
    expect(new Date(calendar.to).toISOString()).toBe('2027-05-01T00:00:00.000Z');
  });
});
