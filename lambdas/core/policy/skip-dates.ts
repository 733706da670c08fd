import * as z from 'zod';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `yyyy-mm-dd` names a real day (no 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = CALENDAR_DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, { message: 'expected a date as yyyy-mm-dd, such as 2026-12-25' });

/**
 * Days (`yyyy-mm-dd`, read in the policy's time zone) on which the policy does nothing: its
 * ticks on those days are recorded as skipped. At most 1,000, since they travel in every schedule's input.
 */
export const skipDatesSchema = z
  .array(calendarDateSchema)
  .max(1000, { message: 'expected at most 1000 dates' });
