import * as z from 'zod';
import { ACTION_CATALOG } from '../actions/action-catalog';
import type { DropletAction } from '../actions/droplet-action';
import {
  checkDailyTimes,
  daysSchema,
  timeOfDaySchema,
  type DailyPart,
  type DailyScheduleSpec,
} from './daily-schedule';
import { readField } from './mapping-fields';
import { keepSnapshotsSchema, type ParkingOptions } from './parking-options';
import type { PathSegment, PolicyFinding } from './policy-finding';

/**
 * Parking in one line: `{ park: "20:00", unpark: "07:00", days: MON-FRI }` expands into
 * `<name>-park` (snapshot each droplet, record it, destroy it) and `<name>-unpark` (recreate it
 * from the snapshot), each a cron in the policy's time zone. Unlike a power schedule this cuts
 * the bill: a destroyed droplet is not billed, its snapshot is ($0.06 per GB-month).
 */
export interface ParkSchedule {
  /** Local time `HH:MM` to park: snapshot, record and destroy. */
  readonly park: string;
  /** Local time `HH:MM` to unpark: recreate from the park snapshot. */
  readonly unpark: string;
  /** Days of the week, as `powerSchedule` reads them: `MON-FRI`, `SAT,SUN`, `[MON, WED-FRI]`, `FRI-MON`. */
  readonly days: string | readonly string[];
}

export const parkScheduleSchema = z
  .object({
    park: timeOfDaySchema('a time to park, HH:MM such as 20:00'),
    unpark: timeOfDaySchema(
      'a time to unpark, HH:MM such as 07:00: a parked droplet comes back only through its unpark policy',
    ),
    days: daysSchema,
  })
  .strict()
  .superRefine((schedule, ctx) =>
    checkDailyTimes(schedule, ['park', 'unpark'], ctx),
  ) satisfies z.ZodType<ParkSchedule>;

/** How `parkSchedule` expands: `-park`, then `-unpark`. Both times are required: a parked droplet comes back only through its unpark policy. */
export const PARK_SCHEDULE: DailyScheduleSpec<ParkSchedule, 'park' | 'unpark'> = {
  key: 'parkSchedule',
  schema: parkScheduleSchema,
  expected: 'a park schedule such as { park: "20:00", unpark: "07:00", days: MON-FRI }',
  suffixes: { park: '-park', unpark: '-unpark' },
  excludes: [
    'schedule',
    'action',
    'steps',
    'onFailure',
    'retention',
    'powerSchedule',
    'skipWhenAlreadyInState',
  ],
  because: "a parkSchedule policy makes its own -park and -unpark policies, with parking's own steps",
};

/** Policy keys that only a `parkSchedule` policy takes: what parking may lose, and what it keeps. */
export const PARKING_OPTION_KEYS = ['allowIpChange', 'allowBackupLoss', 'keepSnapshots'] as const;

type ParkingAllowances = Pick<ParkingOptions, (typeof PARKING_OPTION_KEYS)[number]>;

/** Reads the parking options of a `parkSchedule` policy, with their defaults (nothing may be lost, nothing kept). */
export function readParkingAllowances(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
): ParkingAllowances {
  const flag = (key: string) =>
    readField(raw, key, path, { schema: z.boolean(), expected: 'true or false' }, findings) ?? false;
  return {
    allowIpChange: flag('allowIpChange'),
    allowBackupLoss: flag('allowBackupLoss'),
    keepSnapshots:
      readField(
        raw,
        'keepSnapshots',
        path,
        { schema: keepSnapshotsSchema, expected: 'a number of snapshots, 0 to 30' },
        findings,
      ) ?? 0,
  };
}

/** Reports each parking option on a policy that does not park. */
export function refuseParkingOptions(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  findings: PolicyFinding[],
): void {
  for (const key of PARKING_OPTION_KEYS) {
    if (Object.hasOwn(raw, key)) {
      findings.push({
        path: [...path, key],
        atKey: true,
        expected: `no ${key}: only a parkSchedule policy takes it (it says what parking may lose or keep)`,
        received: raw[key],
      });
    }
  }
}

/** What a `-park` or `-unpark` policy adds to the fields its entry shares. */
export interface ParkingPart {
  readonly suffix: string;
  readonly schedule: string;
  /** The power state the policy amounts to: the engine builds the steps from `parking`. */
  readonly action: DropletAction;
  readonly timeoutMinutes: number;
  readonly parking: ParkingOptions;
}

/** `-park` amounts to a shutdown, `-unpark` to a power_on; both name the `-park` policy as theirs. */
export function parkingParts(
  name: string,
  parts: readonly DailyPart<'park' | 'unpark'>[],
  allowances: ParkingAllowances,
): ParkingPart[] {
  const parkPolicy = `${name}${PARK_SCHEDULE.suffixes.park}`;
  return parts.map(({ time, suffix, schedule }) => {
    const type = time === 'park' ? 'shutdown' : 'power_on';
    return {
      suffix,
      schedule,
      action: { type },
      timeoutMinutes: ACTION_CATALOG[type].defaultTimeoutMinutes,
      parking: { role: time, parkPolicy, ...allowances },
    };
  });
}
