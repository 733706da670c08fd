import { UsageError } from '../usage-error';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^(\d{1,6})([smhdw])$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** What `--since`, `--until` and `--from` accept, for the error message. */
export const TIME_FLAG_EXPECTED =
  'an ISO 8601 time (e.g. 2026-11-20T09:00Z) or a duration ago such as 30m, 24h or 7d';

/**
 * Reads a time flag: ISO 8601 (a date alone is midnight UTC; a time without an offset is UTC,
 * so that the answer never depends on the machine's zone), or a duration before `now`: `90s`,
 * `30m`, `24h`, `7d`, `2w`.
 * @throws UsageError naming the flag, the value and what is accepted.
 */
export function parseTimeFlag(flag: string, value: string, now: Date): Date {
  const text = value.trim();
  const relative = RELATIVE.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!]!);
  const iso = ISO.exec(text);
  if (iso) {
    const withZone =
      text.includes('T') || text.includes(' ') ? (iso[1] ? text : `${text}Z`) : `${text}T00:00Z`;
    const instant = new Date(withZone.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    // Date also rolls over impossible days (02-30); refuse them instead.
    if (!Number.isNaN(instant.getTime()) && sameCalendarFields(text, instant, iso[1])) return instant;
  }
  throw new UsageError(flag, value, TIME_FLAG_EXPECTED);
}

function sameCalendarFields(text: string, instant: Date, zone: string | undefined): boolean {
  if (zone && zone.toUpperCase() !== 'Z') return true; // the offset moves the UTC date; the regex checked the shape
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  return (
    instant.getUTCFullYear() === year && instant.getUTCMonth() + 1 === month && instant.getUTCDate() === day
  );
}
