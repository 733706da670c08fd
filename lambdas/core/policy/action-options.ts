import * as z from 'zod';

/** The longest a policy may wait for an action before recording it `timed-out`: one week. */
export const MAX_TIMEOUT_MINUTES = 10_080;

/**
 * Minutes after which an unfinished action is recorded as `timed-out` (and, for a `shutdown` with
 * a fallback, replaced by `power_off`). Defaults per type to `ACTION_CATALOG[type].defaultTimeoutMinutes`.
 */
export const timeoutMinutesSchema = z
  .number()
  .int({ message: 'expected a whole number of minutes' })
  .min(1, { message: `expected 1 to ${MAX_TIMEOUT_MINUTES} minutes` })
  .max(MAX_TIMEOUT_MINUTES, { message: `expected 1 to ${MAX_TIMEOUT_MINUTES} minutes` });

/** What follows a `shutdown` that has not finished within its timeout: DigitalOcean's own advice. */
export const fallbackSchema = z.literal('power_off', { message: 'expected power_off' });

export type ShutdownFallback = z.infer<typeof fallbackSchema>;
