import * as z from 'zod';
import { readField, readMapping } from './mapping-fields';
import type { PolicyFinding } from './policy-finding';
import { flexibleWindowMinutesSchema } from './schedule-window';
import { skipDatesSchema } from './skip-dates';
import { teamNameSchema } from './team-name';
import { timezoneSchema } from './timezone';

/**
 * `defaults:` of a policy file: values for the optional policy fields, and the time zone. A policy's
 * own value replaces the default (lists are not merged).
 */
export interface PolicyDefaults {
  /** The time zone of every policy that names none. */
  readonly timezone?: string;
  /**
   * True when `timezone` was given but is not a time zone: that is reported once, at
   * `defaults.timezone`, not again as missing on every policy that relies on it.
   */
  readonly timezoneRefused?: boolean;
  /** @default true */
  readonly enabled?: boolean;
  readonly flexibleWindowMinutes?: number;
  /** Days on which no policy acts, such as public holidays, unless a policy lists its own. */
  readonly skipDates?: readonly string[];
  /** The team of every policy that names none. */
  readonly team?: string;
}

export const DEFAULTS_KEYS = ['timezone', 'enabled', 'flexibleWindowMinutes', 'skipDates', 'team'] as const;

/** Reads `defaults:`, reporting what is wrong with it; absent, it is empty. */
export function readDefaults(value: unknown, findings: PolicyFinding[]): PolicyDefaults {
  if (value === undefined) return {};
  const path = ['defaults'];
  const raw = readMapping(
    value,
    path,
    DEFAULTS_KEYS,
    'a mapping such as { timezone: Europe/Berlin }',
    findings,
  );
  if (!raw) return {};
  const timezone = readField(
    raw,
    'timezone',
    path,
    { schema: timezoneSchema, expected: 'an IANA time zone such as Europe/Berlin' },
    findings,
  );
  const enabled = readField(
    raw,
    'enabled',
    path,
    { schema: z.boolean(), expected: 'true or false' },
    findings,
  );
  const flexibleWindowMinutes = readField(
    raw,
    'flexibleWindowMinutes',
    path,
    { schema: flexibleWindowMinutesSchema, expected: 'a number of minutes' },
    findings,
  );
  const skipDates = readField(
    raw,
    'skipDates',
    path,
    { schema: skipDatesSchema, expected: 'a list of dates such as [2026-12-25]' },
    findings,
  );
  const team = readField(
    raw,
    'team',
    path,
    { schema: teamNameSchema, expected: 'a team name such as platform (lower-case letters, digits, -)' },
    findings,
  );
  return {
    ...(team !== undefined ? { team } : {}),
    ...(timezone !== undefined ? { timezone } : {}),
    ...(timezone === undefined && Object.hasOwn(raw, 'timezone') ? { timezoneRefused: true } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(flexibleWindowMinutes !== undefined ? { flexibleWindowMinutes } : {}),
    ...(skipDates !== undefined ? { skipDates } : {}),
  };
}
