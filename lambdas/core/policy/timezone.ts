import * as z from 'zod';
import { closestKey } from './closest-key';

const ZONE_NAME = /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * Whether the runtime's time zone database knows this IANA name, spelled exactly as IANA spells
 * it (EventBridge Scheduler is case-sensitive; `Intl` is not). Offsets such as `+01:00` are refused:
 * they have no DST rules and EventBridge does not take them.
 */
export function isIanaTimezone(name: string): boolean {
  const canonical = canonicalTimezone(name);
  // The runtime may answer with another name of the same zone (Node 20's ICU says Asia/Calcutta for
  // Asia/Kolkata, Europe/Kiev for Europe/Kyiv): both are IANA names. Only a different case is refused.
  return canonical !== undefined && (canonical === name || canonical.toLowerCase() !== name.toLowerCase());
}

/** The runtime's spelling of a zone name (`europe/berlin` → `Europe/Berlin`), or undefined when unknown. */
export function canonicalTimezone(name: string): string | undefined {
  if (!ZONE_NAME.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

let knownZones: readonly string[] | undefined;

/** The zone a mistyped name most likely meant (`Europe/Berln` → `Europe/Berlin`), if one is close. */
function closestZone(name: string): string | undefined {
  knownZones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return closestKey(name, knownZones);
}

/** An IANA time zone name such as `Europe/Berlin`, or `UTC`. */
export const timezoneSchema = z.string().superRefine((name, ctx) => {
  if (isIanaTimezone(name)) return;
  const canonical = canonicalTimezone(name);
  const suggestion = closestZone(name);
  const hint =
    canonical && canonical.toLowerCase() === name.toLowerCase()
      ? ` (spelled ${canonical})`
      : suggestion
        ? ` (did you mean ${suggestion}?)`
        : '';
  ctx.addIssue({ code: 'custom', message: `expected an IANA time zone such as Europe/Berlin or UTC${hint}` });
});
