import * as z from 'zod';

/** EventBridge Scheduler's bounds for a flexible time window, in minutes. */
export const FLEXIBLE_WINDOW_MINUTES = { min: 1, max: 1440 } as const;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant as ISO 8601 with an explicit offset (`2026-01-01T00:00:00Z`, `…+01:00`): without the
 * offset the instant would depend on which machine reads it.
 */
export const isoDateTimeSchema = z
  .string()
  .refine((text) => ISO_DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)), {
    message: 'expected an ISO 8601 date-time with an offset, such as 2026-01-01T00:00:00Z',
  });

export const flexibleWindowMinutesSchema = z
  .number()
  .int({ message: 'expected a whole number of minutes' })
  .min(FLEXIBLE_WINDOW_MINUTES.min, { message: 'expected 1 to 1440 minutes' })
  .max(FLEXIBLE_WINDOW_MINUTES.max, { message: 'expected 1 to 1440 minutes' });

/** Normalizes an accepted instant to UTC with milliseconds, the form `Date.toISOString` prints. */
export function normalizeInstant(text: string): string {
  return new Date(text).toISOString();
}
