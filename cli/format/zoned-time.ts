const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** An instant as ISO 8601 in a zone's wall time with its offset, e.g. `2026-03-30T09:00:00+02:00`. */
export function isoInZone(instant: Date, timeZone: string): string {
  const { weekday: _weekday, date, time, offset } = zonedParts(instant, timeZone);
  return `${date}T${time}${offset}`;
}

/**
 * An instant as the wall clock of a zone reads it, with the zone's offset at that instant, e.g.
 * `Mon 2026-03-30 09:00 +02:00`, so that a DST change is visible in `plan`'s list. Seconds appear
 * only when they are not zero (an `at()` schedule may name them).
 */
export function formatInZone(instant: Date, timeZone: string): string {
  const { weekday, date, time, offset } = zonedParts(instant, timeZone);
  return `${weekday} ${date} ${time.endsWith(':00') ? time.slice(0, 5) : time} ${offset}`;
}

function zonedParts(
  instant: Date,
  timeZone: string,
): { weekday: string; date: string; time: string; offset: string } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offsetMinutes = Math.round((wall - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return {
    weekday: parts.weekday!,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    offset,
  };
}

/** An instant in UTC to the minute (or second when it has one), e.g. `2026-03-30T07:00Z`. */
export function formatUtc(instant: Date): string {
  const iso = instant.toISOString();
  return iso.endsWith(':00.000Z') ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`;
}
