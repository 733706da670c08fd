import fc from 'fast-check';
import {
  fireTimes,
  isFireTime,
  nextFireTimes,
  parseScheduleExpression,
  previousFireTime,
  type CronExpression,
} from '../../../../lambdas/core/schedule';
import { dstTransitions } from './support/dst-transitions';
import { matchesWallClock, referenceFireTimes } from './support/reference-evaluator';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe', // 30-minute DST
  'Asia/Kolkata', // half-hour offset, no DST
  'UTC',
  'Pacific/Chatham', // +12:45 / +13:45
  'America/Sao_Paulo', // DST until 2019, switching at midnight: 00:00-00:59 did not exist
];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

// Every DST change of every zone in 2017-2018 (Sao Paulo still had DST then) and 2026-2028.
const TRANSITIONS = new Map(
  ZONES.map((zone) => [
    zone,
    [
      ...dstTransitions(zone, Date.UTC(2017, 0, 1), Date.UTC(2019, 0, 1)),
      ...dstTransitions(zone, Date.UTC(2026, 0, 1), Date.UTC(2029, 0, 1)),
    ],
  ]),
);

/** A value of a field, as a number or (where the field has names) a name in random case. */
const valueText = (min: number, max: number, names?: readonly string[]) =>
  fc
    .integer({ min, max })
    .chain((value) =>
      names
        ? fc.oneof(
            fc.constant(String(value)),
            fc.constantFrom(
              names[value - min]!,
              names[value - min]!.toLowerCase(),
              `${names[value - min]![0]}${names[value - min]!.slice(1).toLowerCase()}`,
            ),
          )
        : fc.constant(String(value)),
    );

/** `*`, values, ranges, steps (`0/15`, `*\/5`, `10-40/10`) and lists of them, all valid for the field. */
function plainField(min: number, max: number, names?: readonly string[], steps = true): fc.Arbitrary<string> {
  const range = fc
    .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const name = (value: number) =>
    names
      ? fc.oneof(fc.constant(String(value)), fc.constant(names[value - min]!))
      : fc.constant(String(value));
  const rangeText = range.chain(([a, b]) => fc.tuple(name(a), name(b)).map(([x, y]) => `${x}-${y}`));
  // EventBridge's largest steps: 59 minutes, 23 hours, otherwise the field's span.
  const step = fc.integer({ min: 1, max: min === 0 ? max : max - min + 1 });
  const items: fc.Arbitrary<string>[] = [valueText(min, max, names), rangeText];
  if (steps) {
    items.push(
      fc.tuple(valueText(min, max, names), step).map(([start, by]) => `${start}/${by}`),
      fc.tuple(rangeText, step).map(([r, by]) => `${r}/${by}`),
    );
  }
  const item = fc.oneof(...items);
  const starStep = steps ? [step.map((by) => `*/${by}`)] : [];
  return fc.oneof(
    fc.constant('*'),
    ...starStep,
    item,
    fc.array(item, { minLength: 2, maxLength: 3 }).map((list) => list.join(',')),
  );
}

const dayOfMonth = fc.oneof(
  { weight: 3, arbitrary: plainField(1, 31) },
  fc.constant('L'),
  fc.constant('LW'),
  fc.integer({ min: 1, max: 31 }).map((day) => `${day}W`),
);
const dayOfWeek = fc.oneof(
  { weight: 3, arbitrary: plainField(1, 7, WEEKDAYS, false) },
  fc.constant('L'),
  valueText(1, 7, WEEKDAYS).map((day) => `${day}L`),
  fc.tuple(valueText(1, 7, WEEKDAYS), fc.integer({ min: 1, max: 5 })).map(([day, nth]) => `${day}#${nth}`),
);
const days = fc.oneof(
  dayOfMonth.map((dom) => [dom, '?'] as const),
  dayOfWeek.map((dow) => ['?', dow] as const),
);

/** Random valid expressions over the whole syntax; the year field covers 2017-2028 or is `*`. */
function cronExpression(minutes: fc.Arbitrary<string>, hours: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const month = fc.oneof({ weight: 3, arbitrary: fc.constant('*') }, plainField(1, 12, MONTHS));
  const year = fc.constantFrom('*', '2017-2028', '2017,2018,2026/1');
  return fc
    .tuple(minutes, hours, days, month, year)
    .map(([minute, hour, [dom, dow], mon, yr]) => `cron(${minute} ${hour} ${dom} ${mon} ${dow} ${yr})`);
}

/** A start instant from two days before to one day after a DST change of the zone (any instant where there is none). */
const zoneAndStart = fc.constantFrom(...ZONES).chain((zone) => {
  const transitions = TRANSITIONS.get(zone)!;
  const anchor =
    transitions.length > 0
      ? fc.constantFrom(...transitions)
      : fc
          .integer({ min: Date.UTC(2017, 0, 1) / MINUTE, max: Date.UTC(2028, 0, 1) / MINUTE })
          .map((m) => m * MINUTE);
  return fc
    .tuple(anchor, fc.integer({ min: -48 * 60, max: 24 * 60 }), fc.constantFrom(0, 0, 1, 30_000, 59_999))
    .map(([transition, minutes, ms]) => ({ zone, from: transition + minutes * MINUTE + ms }));
});

function fastFireTimes(cron: CronExpression, zone: string, from: number, to: number): number[] {
  return [...fireTimes(cron, { timezone: zone, from: new Date(from), endDate: new Date(to) })].map((d) =>
    d.getTime(),
  );
}

describe('the fast evaluator against the minute-by-minute reference', () => {
  test('given random expressions near DST changes in random zones, then both give the same fire times over three days', () => {
    fc.assert(
      fc.property(
        cronExpression(plainField(0, 59), plainField(0, 23)),
        zoneAndStart,
        (expression, { zone, from }) => {
          // Arrange
          const cron = parseScheduleExpression(expression) as CronExpression;
          const to = from + 3 * DAY;

          // Act
          const fast = fastFireTimes(cron, zone, from, to);

          // Assess
          expect(fast.map((t) => new Date(t).toISOString())).toEqual(
            referenceFireTimes(cron, zone, from, to).map((t) => new Date(t).toISOString()),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  test('given hours around the change (0-4) and every few minutes, then the gap and the repeat agree exactly', () => {
    const nightHours = fc.oneof(fc.constant('0-4'), fc.constant('*'), plainField(0, 4));
    const minutes = fc.oneof(
      fc.constant('*'),
      fc.integer({ min: 1, max: 30 }).map((by) => `0/${by}`),
      plainField(0, 59),
    );
    fc.assert(
      fc.property(cronExpression(minutes, nightHours), zoneAndStart, (expression, { zone, from }) => {
        const cron = parseScheduleExpression(expression) as CronExpression;
        const to = from + 2 * DAY;
        expect(fastFireTimes(cron, zone, from, to)).toEqual(referenceFireTimes(cron, zone, from, to));
      }),
      { numRuns: 60 },
    );
  });

  test('given L, W and # expressions over five weeks from a random day, then both agree on the calendar', () => {
    const sparseMinutes = fc.integer({ min: 0, max: 59 }).map(String);
    const sparseHours = fc.oneof(fc.integer({ min: 0, max: 23 }).map(String), fc.constant('1,13'));
    const start = fc.tuple(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2017, 0, 1) / DAY, max: Date.UTC(2028, 6, 1) / DAY }),
    );
    fc.assert(
      fc.property(cronExpression(sparseMinutes, sparseHours), start, (expression, [zone, day]) => {
        const cron = parseScheduleExpression(expression) as CronExpression;
        const from = day * DAY;
        const to = from + 35 * DAY;
        expect(fastFireTimes(cron, zone, from, to)).toEqual(referenceFireTimes(cron, zone, from, to));
      }),
      { numRuns: 15 },
    );
  });
});

describe('the day-of-month and day-of-week forms against the reference calendar', () => {
  // A fire at 12:00 UTC once a day at most: walking days is then as plain as walking minutes, and
  // cheap enough to cover the rare cases (31W on a Sunday, the fifth Friday, LW at a weekend).
  test('given L, LW, nW, nL and n#k over thirteen months in UTC, then the fire days match the reference', () => {
    const special = fc.oneof(
      fc.constantFrom('L', 'LW').map((dom) => [dom, '?'] as const),
      fc.integer({ min: 1, max: 31 }).map((day) => [`${day}W`, '?'] as const),
      valueText(1, 7, WEEKDAYS).map((day) => ['?', `${day}L`] as const),
      fc
        .tuple(valueText(1, 7, WEEKDAYS), fc.integer({ min: 1, max: 5 }))
        .map(([day, nth]) => ['?', `${day}#${nth}`] as const),
      days,
    );
    const month = fc.oneof({ weight: 3, arbitrary: fc.constant('*') }, plainField(1, 12, MONTHS));
    const startDay = fc.integer({ min: Date.UTC(1999, 0, 1) / DAY, max: Date.UTC(2100, 0, 1) / DAY });
    fc.assert(
      fc.property(special, month, startDay, ([dom, dow], mon, day) => {
        // Arrange
        const cron = parseScheduleExpression(`cron(0 12 ${dom} ${mon} ${dow} *)`) as CronExpression;
        const from = day * DAY;
        const to = from + 400 * DAY;
        const expected: number[] = [];
        for (let t = from + 12 * HOUR; t < to; t += DAY) {
          const date = new Date(t);
          const wall = {
            year: date.getUTCFullYear(),
            month: date.getUTCMonth() + 1,
            day: date.getUTCDate(),
            hour: 12,
            minute: 0,
          };
          if (matchesWallClock(cron, wall)) expected.push(t);
        }

        // Act
        const fast = fastFireTimes(cron, 'UTC', from, to);

        // Assess
        expect(fast.map((t) => new Date(t).toISOString())).toEqual(
          expected.map((t) => new Date(t).toISOString()),
        );
      }),
      { numRuns: 120 },
    );
  });
});

describe('the query functions agree with each other', () => {
  test('given random expressions, then nextFireTimes, previousFireTime and isFireTime tell one story', () => {
    fc.assert(
      fc.property(
        cronExpression(plainField(0, 59), plainField(0, 23)),
        zoneAndStart,
        (expression, { zone, from }) => {
          // Arrange
          const context = { timezone: zone };

          // Act
          const next = nextFireTimes(expression, { ...context, from: new Date(from), count: 3 });

          // Assess
          for (const [index, fire] of next.entries()) {
            expect(isFireTime(expression, fire, context)).toBe(true);
            // The minute before a fire is itself a fire only when it is the previous one in the list.
            if (index > 0) {
              expect(isFireTime(expression, new Date(fire.getTime() - MINUTE), context)).toBe(
                next[index - 1]!.getTime() === fire.getTime() - MINUTE,
              );
              expect(previousFireTime(expression, { ...context, before: fire })).toEqual(next[index - 1]);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
