import { ConfigurationError } from '../../../../lambdas/core/errors';
import {
  fireTimes,
  isFireTime,
  nextFireTime,
  nextFireTimes,
  parseScheduleExpression,
  previousFireTime,
  ScheduleExpressionError,
} from '../../../../lambdas/core/schedule';

const iso = (dates: readonly Date[]) => dates.map((date) => date.toISOString().replace('.000Z', 'Z'));
const at = (text: string) => new Date(text);

describe('nextFireTimes', () => {
  test.each([
    [
      'spring: Mondays 09:00 Berlin move from 08:00 to 07:00 UTC after 2027-03-28',
      '2027-03-15T00:00:00Z',
      ['2027-03-15T08:00:00Z', '2027-03-22T08:00:00Z', '2027-03-29T07:00:00Z', '2027-04-05T07:00:00Z'],
    ],
    [
      'autumn: Mondays 09:00 Berlin move from 07:00 to 08:00 UTC after 2027-10-31',
      '2027-10-18T00:00:00Z',
      ['2027-10-18T07:00:00Z', '2027-10-25T07:00:00Z', '2027-11-01T08:00:00Z', '2027-11-08T08:00:00Z'],
    ],
  ])('given cron(0 9 ? * 2 *) in Europe/Berlin, %s', (_, from, expected) => {
    // Act
    const fires = nextFireTimes('cron(0 9 ? * 2 *)', { timezone: 'Europe/Berlin', from: at(from), count: 4 });

    // Assess
    expect(iso(fires)).toEqual(expected);
  });

  // The last column is how many to ask for: more than listed shows that a bounded expression ends.
  test.each([
    [
      'L: the last day of the month, in a leap year',
      'cron(0 12 L * ? 2028)',
      ['2028-01-31', '2028-02-29', '2028-03-31', '2028-04-30'],
      4,
    ],
    [
      'L in February over three years',
      'cron(0 12 L 2 ? 2027-2029)',
      ['2027-02-28', '2028-02-29', '2029-02-28'],
      10,
    ],
    [
      'LW: the last weekday (Jan 31 and Feb 28 are Sundays)',
      'cron(0 12 LW * ? 2027)',
      ['2027-01-29', '2027-02-26', '2027-03-31', '2027-04-30'],
      4,
    ],
    [
      '1W: May 1 is a Saturday, so Monday the 3rd (never April)',
      'cron(0 12 1W 5-8 ? 2027)',
      ['2027-05-03', '2027-06-01', '2027-07-01', '2027-08-02'],
      10,
    ],
    [
      '15W: May 15 is a Saturday, so Friday the 14th',
      'cron(0 12 15W 4-6 ? 2027)',
      ['2027-04-15', '2027-05-14', '2027-06-15'],
      10,
    ],
    [
      '31W: skips months without a 31st; Jan 31 is a Sunday and the last day, so Friday',
      'cron(0 12 31W * ? 2027)',
      ['2027-01-29', '2027-03-31', '2027-05-31', '2027-07-30'],
      4,
    ],
    [
      '2#1: the first Monday',
      'cron(0 12 ? * 2#1 2027)',
      ['2027-01-04', '2027-02-01', '2027-03-01', '2027-04-05'],
      4,
    ],
    [
      '6#5: the fifth Friday, only in months that have one',
      'cron(0 12 ? * FRI#5 2027)',
      ['2027-01-29', '2027-04-30', '2027-07-30', '2027-10-29', '2027-12-31'],
      10,
    ],
    [
      '6L: the last Friday',
      'cron(0 12 ? * 6L 2027)',
      ['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30'],
      4,
    ],
    ['1 = SUN', 'cron(0 12 ? * 1 2027)', ['2027-01-03', '2027-01-10', '2027-01-17'], 3],
    ['L alone in day-of-week = SAT', 'cron(0 12 ? * L 2027)', ['2027-01-02', '2027-01-09', '2027-01-16'], 3],
    [
      'MON-FRI skips the weekend',
      'cron(0 12 ? * MON-FRI 2027)',
      ['2027-01-01', '2027-01-04', '2027-01-05'],
      3,
    ],
    [
      '1/10 in day-of-month: 1, 11, 21, 31',
      'cron(0 12 1/10 1 ? 2027)',
      ['2027-01-01', '2027-01-11', '2027-01-21', '2027-01-31'],
      10,
    ],
    ['a year list ends the schedule', 'cron(0 12 1 1 ? 2027,2029)', ['2027-01-01', '2029-01-01'], 10],
  ])('given %s (%s in UTC), then it fires on the known dates', (_, expression, dates, asked) => {
    // Act
    const fires = nextFireTimes(expression, {
      timezone: 'UTC',
      from: at('2026-12-31T23:00:00Z'),
      count: asked,
    });

    // Assess
    expect(iso(fires)).toEqual(dates.map((date) => `${date}T12:00:00Z`));
  });

  test.each([
    [
      'Europe/Berlin: 02:30 does not exist on 2027-03-28, so that day is skipped',
      'cron(30 2 * * ? *)',
      'Europe/Berlin',
      '2027-03-27T00:00:00Z',
      ['2027-03-27T01:30:00Z', '2027-03-29T00:30:00Z', '2027-03-30T00:30:00Z'],
    ],
    [
      'America/New_York: 02:30 does not exist on 2027-03-14',
      'cron(30 2 * * ? *)',
      'America/New_York',
      '2027-03-13T00:00:00Z',
      ['2027-03-13T07:30:00Z', '2027-03-15T06:30:00Z'],
    ],
    [
      'Europe/Berlin: the hourly schedule fires once in the repeated 02:00 hour of 2027-10-31, at the first',
      'cron(0 * * * ? *)',
      'Europe/Berlin',
      '2027-10-30T22:30:00Z',
      ['2027-10-30T23:00:00Z', '2027-10-31T00:00:00Z', '2027-10-31T02:00:00Z', '2027-10-31T03:00:00Z'],
    ],
    [
      'America/New_York: 01:30 happens twice on 2027-11-07 and fires at the first (EDT)',
      'cron(30 1 * * ? *)',
      'America/New_York',
      '2027-11-06T00:00:00Z',
      ['2027-11-06T05:30:00Z', '2027-11-07T05:30:00Z', '2027-11-08T06:30:00Z'],
    ],
    [
      'Australia/Lord_Howe: the half hour 01:30-02:00 repeats on 2027-04-04 and fires once',
      'cron(0/15 1-2 * * ? *)',
      'Australia/Lord_Howe',
      '2027-04-03T14:00:00Z',
      [
        '2027-04-03T14:15:00Z',
        '2027-04-03T14:30:00Z',
        '2027-04-03T14:45:00Z',
        '2027-04-03T15:30:00Z',
        '2027-04-03T15:45:00Z',
      ],
    ],
    [
      'Australia/Lord_Howe: 02:00-02:30 does not exist on 2027-10-03',
      'cron(0/15 2 * * ? *)',
      'Australia/Lord_Howe',
      '2027-10-02T12:00:00Z',
      ['2027-10-02T15:30:00Z', '2027-10-02T15:45:00Z', '2027-10-03T15:00:00Z'],
    ],
    [
      'Asia/Kolkata has no DST and a half-hour offset',
      'cron(0 9 * * ? *)',
      'Asia/Kolkata',
      '2027-03-27T00:00:00Z',
      ['2027-03-27T03:30:00Z', '2027-03-28T03:30:00Z'],
    ],
  ])('given %s', (_, expression, timezone, from, expected) => {
    // Act
    const fires = nextFireTimes(expression, { timezone, from: at(from), count: expected.length });

    // Assess
    expect(iso(fires)).toEqual(expected);
  });

  test('given a fire exactly at from, then it is excluded: fire times are strictly after from', () => {
    const fires = nextFireTimes('cron(0 12 * * ? *)', {
      timezone: 'UTC',
      from: at('2027-01-01T12:00:00Z'),
      count: 1,
    });
    expect(iso(fires)).toEqual(['2027-01-02T12:00:00Z']);
  });

  test('given from inside a minute, then the next whole matching minute follows', () => {
    const fires = nextFireTimes('cron(* * * * ? *)', {
      timezone: 'UTC',
      from: at('2027-01-01T12:00:30Z'),
      count: 2,
    });
    expect(iso(fires)).toEqual(['2027-01-01T12:01:00Z', '2027-01-01T12:02:00Z']);
  });

  test('given startDate and endDate, then fires fall on or after the start and strictly before the end', () => {
    // Act
    const fires = nextFireTimes('cron(0 12 * * ? *)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      count: 10,
      startDate: at('2027-01-03T12:00:00Z'),
      endDate: at('2027-01-06T12:00:00Z'),
    });

    // Assess
    expect(iso(fires)).toEqual(['2027-01-03T12:00:00Z', '2027-01-04T12:00:00Z', '2027-01-05T12:00:00Z']);
  });

  test('given an expression that can never match (Feb 30), then it returns no fire times promptly', () => {
    const started = performance.now();
    const fires = nextFireTimes('cron(0 0 30 2 ? *)', {
      timezone: 'Europe/Berlin',
      from: at('1970-01-01T00:00:00Z'),
      count: 1,
    });
    expect(fires).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test('given a count of zero, then no fire times', () => {
    expect(
      nextFireTimes('rate(1 minute)', { timezone: 'UTC', from: at('2027-01-01T00:00:00Z'), count: 0 }),
    ).toEqual([]);
  });
});

describe('rate()', () => {
  test('given a startDate, then it fires at the start and every period after, strictly after from', () => {
    const fires = nextFireTimes('rate(2 hours)', {
      timezone: 'Europe/Berlin',
      from: at('2027-01-01T11:00:00Z'),
      count: 3,
      startDate: at('2027-01-01T10:00:00Z'),
    });
    expect(iso(fires)).toEqual(['2027-01-01T12:00:00Z', '2027-01-01T14:00:00Z', '2027-01-01T16:00:00Z']);
  });

  test('given a startDate in the future, then the first fire is the startDate itself', () => {
    const fires = nextFireTimes('rate(5 minutes)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      count: 2,
      startDate: at('2027-01-01T10:00:00Z'),
    });
    expect(iso(fires)).toEqual(['2027-01-01T10:00:00Z', '2027-01-01T10:05:00Z']);
  });

  test('given rate(1 day) across the spring-forward night, then it stays 24 hours apart in UTC', () => {
    const fires = nextFireTimes('rate(1 day)', {
      timezone: 'Europe/Berlin',
      from: at('2027-03-26T00:00:00Z'),
      count: 3,
      startDate: at('2027-03-26T10:00:00Z'),
    });
    expect(iso(fires)).toEqual(['2027-03-26T10:00:00Z', '2027-03-27T10:00:00Z', '2027-03-28T10:00:00Z']);
  });

  test('given createdAt and no startDate, then the first fire is at creation (to the next whole minute)', () => {
    const fires = nextFireTimes('rate(1 minute)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      count: 2,
      createdAt: at('2027-01-01T00:00:20Z'),
    });
    expect(iso(fires)).toEqual(['2027-01-01T00:01:00Z', '2027-01-01T00:02:00Z']);
  });

  test('given neither startDate nor createdAt, then the schedule counts from `from`', () => {
    const fires = nextFireTimes('rate(10 minutes)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      count: 2,
    });
    expect(iso(fires)).toEqual(['2027-01-01T00:10:00Z', '2027-01-01T00:20:00Z']);
  });

  test('given an endDate, then the rate stops before it', () => {
    const fires = nextFireTimes('rate(1 hour)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      count: 10,
      startDate: at('2027-01-01T01:00:00Z'),
      endDate: at('2027-01-01T03:00:00Z'),
    });
    expect(iso(fires)).toEqual(['2027-01-01T01:00:00Z', '2027-01-01T02:00:00Z']);
  });
});

describe('at()', () => {
  test.each([
    ['a plain local time', 'at(2027-06-01T09:00:00)', 'Europe/Berlin', ['2027-06-01T07:00:00Z']],
    ['a time in the spring-forward gap never fires', 'at(2027-03-28T02:30:00)', 'Europe/Berlin', []],
    [
      'a repeated time fires at its first occurrence',
      'at(2027-10-31T02:30:00)',
      'Europe/Berlin',
      ['2027-10-31T00:30:00Z'],
    ],
    ['seconds are kept', 'at(2027-06-01T09:00:30)', 'UTC', ['2027-06-01T09:00:30Z']],
  ])('given %s', (_, expression, timezone, expected) => {
    const fires = nextFireTimes(expression, { timezone, from: at('2027-01-01T00:00:00Z'), count: 5 });
    expect(iso(fires)).toEqual(expected);
  });

  test('given from after the time, then it never fires again', () => {
    expect(
      nextFireTime('at(2027-06-01T09:00:00)', { timezone: 'UTC', from: at('2027-06-01T09:00:00Z') }),
    ).toBeUndefined();
  });

  test('given startDate and endDate, then they are ignored, as EventBridge ignores them for one-time schedules', () => {
    const fire = nextFireTime('at(2027-06-01T09:00:00)', {
      timezone: 'UTC',
      from: at('2027-01-01T00:00:00Z'),
      startDate: at('2027-07-01T00:00:00Z'),
      endDate: at('2027-02-01T00:00:00Z'),
    });
    expect(fire?.toISOString()).toBe('2027-06-01T09:00:00.000Z');
  });
});

describe('fireTimes, nextFireTime, previousFireTime and isFireTime', () => {
  test('given the iterator, when read lazily, then it yields the same times as nextFireTimes', () => {
    // Arrange
    const query = { timezone: 'America/Sao_Paulo', from: at('2027-01-01T00:00:00Z') };
    const iterator = fireTimes('cron(0/30 8-9 ? * MON-FRI *)', query);

    // Act
    const first = [iterator.next().value, iterator.next().value, iterator.next().value] as Date[];

    // Assess
    expect(iso(first)).toEqual(iso(nextFireTimes('cron(0/30 8-9 ? * MON-FRI *)', { ...query, count: 3 })));
    expect(iso(first)).toEqual(['2027-01-01T11:00:00Z', '2027-01-01T11:30:00Z', '2027-01-01T12:00:00Z']);
  });

  test('given a parsed expression, then it is evaluated without parsing again', () => {
    const parsed = parseScheduleExpression('cron(0 2 * * ? *)');
    expect(nextFireTime(parsed, { timezone: 'UTC', from: at('2027-01-01T00:00:00Z') })?.toISOString()).toBe(
      '2027-01-01T02:00:00.000Z',
    );
  });

  test.each([
    [
      'a weekly cron across the spring change',
      'cron(0 9 ? * 2 *)',
      'Europe/Berlin',
      '2027-04-01T00:00:00Z',
      '2027-03-29T07:00:00Z',
    ],
    ['a minute cron', 'cron(* * * * ? *)', 'UTC', '2027-04-01T00:00:30Z', '2027-04-01T00:00:00Z'],
    ['a yearly cron', 'cron(0 0 1 1 ? *)', 'Pacific/Chatham', '2027-06-01T00:00:00Z', '2026-12-31T10:15:00Z'],
    ['an at() in the past', 'at(2027-01-01T00:00:00)', 'UTC', '2027-06-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ])(
    'given %s, then previousFireTime is the last fire strictly before',
    (_, expression, timezone, before, expected) => {
      expect(previousFireTime(expression, { timezone, before: at(before) })?.toISOString()).toBe(
        new Date(expected).toISOString(),
      );
    },
  );

  test('given a rate with a startDate, then previousFireTime counts whole periods from it', () => {
    const previous = previousFireTime('rate(7 minutes)', {
      timezone: 'UTC',
      before: at('2027-01-01T01:00:00Z'),
      startDate: at('2027-01-01T00:00:00Z'),
    });
    expect(previous?.toISOString()).toBe('2027-01-01T00:56:00.000Z');
  });

  test('given a rate with neither startDate nor createdAt, then it has no previous fire time', () => {
    expect(
      previousFireTime('rate(7 minutes)', { timezone: 'UTC', before: at('2027-01-01T01:00:00Z') }),
    ).toBeUndefined();
  });

  test('given a cron that starts in the future, then previousFireTime is undefined', () => {
    expect(
      previousFireTime('cron(0 0 1 1 ? 2100)', { timezone: 'UTC', before: at('2027-01-01T00:00:00Z') }),
    ).toBeUndefined();
  });

  test.each([
    ['2027-03-29T07:00:00Z', true],
    ['2027-03-29T08:00:00Z', false],
    ['2027-03-29T07:00:30Z', false],
  ])('given %s, then isFireTime for Mondays 09:00 Berlin is %s', (instant, expected) => {
    expect(isFireTime('cron(0 9 ? * 2 *)', at(instant), { timezone: 'Europe/Berlin' })).toBe(expected);
  });

  test('given the second occurrence of a repeated wall time, then it is not a fire time', () => {
    expect(isFireTime('cron(30 2 * * ? *)', at('2027-10-31T01:30:00Z'), { timezone: 'Europe/Berlin' })).toBe(
      false,
    );
    expect(isFireTime('cron(30 2 * * ? *)', at('2027-10-31T00:30:00Z'), { timezone: 'Europe/Berlin' })).toBe(
      true,
    );
  });

  test('given an expression that never fires, then previousFireTime and isFireTime answer promptly', () => {
    const started = performance.now();
    expect(
      previousFireTime('cron(0 0 30 2 ? *)', {
        timezone: 'Europe/Berlin',
        before: at('2150-01-01T00:00:00Z'),
      }),
    ).toBeUndefined();
    expect(isFireTime('cron(0 0 30 2 ? *)', at('2027-01-01T00:00:00Z'), { timezone: 'Europe/Berlin' })).toBe(
      false,
    );
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test.each([
    ['2027-01-01T00:21:00Z', { startDate: at('2027-01-01T00:00:00Z') }, true],
    ['2027-01-01T00:22:00Z', { startDate: at('2027-01-01T00:00:00Z') }, false],
    ['2027-01-01T00:07:00Z', { createdAt: at('2027-01-01T00:00:00Z') }, true],
    ['2027-01-01T00:07:00Z', {}, false],
  ])('given rate(7 minutes), then isFireTime(%s) with %j is %s', (instant, bounds, expected) => {
    expect(isFireTime('rate(7 minutes)', at(instant), { timezone: 'UTC', ...bounds })).toBe(expected);
  });

  test('given an at() and an endDate before it, then previousFireTime still finds it, as endDate does not apply', () => {
    const previous = previousFireTime('at(2027-01-01T10:00:00)', {
      timezone: 'UTC',
      before: at('2027-06-01T00:00:00Z'),
      endDate: at('2026-01-01T00:00:00Z'),
    });
    expect(previous?.toISOString()).toBe('2027-01-01T10:00:00.000Z');
  });

  test('given an invalid from date, then a ConfigurationError says so', () => {
    expect(() =>
      nextFireTimes('cron(0 2 * * ? *)', { timezone: 'UTC', from: new Date(Number.NaN), count: 1 }),
    ).toThrow("expected from to be a valid Date, got: 'Invalid Date'");
  });

  test('given an unknown time zone, then a ConfigurationError names it', () => {
    expect(() =>
      nextFireTimes('cron(0 2 * * ? *)', { timezone: 'Mars/Olympus', from: new Date(0), count: 1 }),
    ).toThrow(
      new ConfigurationError(
        "expected timezone to be an IANA time zone such as Europe/Berlin, got: 'Mars/Olympus'",
      ),
    );
  });

  test('given an invalid expression, then the evaluator throws the parser error', () => {
    expect(() =>
      nextFireTimes('cron(0 2 * * * *)', { timezone: 'UTC', from: new Date(0), count: 1 }),
    ).toThrow(ScheduleExpressionError);
  });
});
