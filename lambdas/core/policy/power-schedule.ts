import * as z from 'zod';
import { checkDailyTimes, daysSchema, timeOfDaySchema, type DailyScheduleSpec } from './daily-schedule';

/**
 * Office hours in one line: `{ on: "07:00", off: "20:00", days: MON-FRI }` expands into two
 * policies, `<name>-on` (`power_on` at `on`) and `<name>-off` (`shutdown` at `off`, with a
 * `power_off` fallback), each a cron in the policy's time zone. Either time may be left out.
 * A powered-off droplet is still billed: this does not save money by itself (`parkSchedule` does).
 */
export interface PowerSchedule {
  /** Local time `HH:MM` to power on. */
  readonly on?: string;
  /** Local time `HH:MM` to shut down. */
  readonly off?: string;
  /** Days of the week: `MON-FRI`, `SAT,SUN`, or a list such as `[MON, WED-FRI]`; ranges may wrap (`FRI-MON`). */
  readonly days: string | readonly string[];
}

export const powerScheduleSchema = z
  .object({ on: timeOfDaySchema().optional(), off: timeOfDaySchema().optional(), days: daysSchema })
  .strict()
  .superRefine((schedule, ctx) =>
    checkDailyTimes(schedule, ['on', 'off'], ctx),
  ) satisfies z.ZodType<PowerSchedule>;

/** How `powerSchedule` expands: `-on`, then `-off`. */
export const POWER_SCHEDULE: DailyScheduleSpec<PowerSchedule, 'on' | 'off'> = {
  key: 'powerSchedule',
  schema: powerScheduleSchema,
  expected: 'a power schedule such as { on: "07:00", off: "20:00", days: MON-FRI }',
  suffixes: { on: '-on', off: '-off' },
  excludes: ['schedule', 'action', 'steps', 'onFailure', 'retention'],
  because: 'a powerSchedule policy makes its own -on and -off policies',
};
