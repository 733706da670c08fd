/** The calendar day (`yyyy-mm-dd`) an instant falls on in a time zone, as skip dates are written. */
export function calendarDateIn(instant: string | Date, timeZone: string): string {
  // en-CA formats dates as yyyy-mm-dd.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}
