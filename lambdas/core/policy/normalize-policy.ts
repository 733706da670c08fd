import * as z from 'zod';
import { ACTION_CATALOG, powerStateAfter } from '../actions/action-catalog';
import { expandDailySchedule } from './daily-schedule';
import { readField, readMapping } from './mapping-fields';
import { normalizeWorkflow, writtenStepTypes, type NormalizedWorkflow } from './normalize-workflow';
import {
  PARK_SCHEDULE,
  PARKING_OPTION_KEYS,
  parkingParts,
  readParkingAllowances,
  refuseParkingOptions,
} from './park-schedule';
import type { ParkingOptions } from './parking-options';
import type { Policy } from './policy';
import type { PolicyDefaults } from './policy-defaults';
import type { PathSegment, PolicyFinding } from './policy-finding';
import { policyNameSchema } from './policy-name';
import { descriptionSchema } from './policy-schema';
import { targetsSchema } from './policy-targets';
import { POWER_SCHEDULE } from './power-schedule';
import { scheduleSchema } from './schedule-field';
import { flexibleWindowMinutesSchema, isoDateTimeSchema, normalizeInstant } from './schedule-window';
import { skipDatesSchema } from './skip-dates';
import { retentionSchema } from './snapshot-retention';
import { DEFAULT_TEAM, teamNameSchema } from './team-name';
import { timezoneSchema } from './timezone';

export const POLICY_KEYS = [
  'name',
  'description',
  'team',
  'enabled',
  'schedule',
  'timezone',
  'startDate',
  'endDate',
  'flexibleWindowMinutes',
  'targets',
  'action',
  'retention',
  'skipWhenAlreadyInState',
  'skipDates',
  'steps',
  'onFailure',
  'powerSchedule',
  'parkSchedule',
  ...PARKING_OPTION_KEYS,
] as const;

/**
 * Validates one entry of `policies:` and turns it into normalized policies: one, or two for a
 * `powerSchedule` or a `parkSchedule`. Reports every problem of the entry; returns no policy when
 * there is any.
 */
export function normalizePolicy(
  value: unknown,
  path: readonly PathSegment[],
  defaults: PolicyDefaults,
  findings: PolicyFinding[],
): Policy[] {
  const raw = readMapping(
    value,
    path,
    POLICY_KEYS,
    'a policy: a mapping with name, schedule, targets and action',
    findings,
  );
  if (!raw) return [];
  const before = findings.length;
  const read = <T>(key: string, schema: z.ZodType<T>, expected: string, required = false) =>
    readField(raw, key, path, { schema, expected, required }, findings);

  const name = read('name', policyNameSchema, 'a policy name such as nightly-snapshots', true);
  const description = read('description', descriptionSchema, 'a description (text)');
  const team =
    read('team', teamNameSchema, 'a team name such as platform (lower-case letters, digits, -)') ??
    defaults.team;
  const enabled = read('enabled', z.boolean(), 'true or false') ?? defaults.enabled ?? true;
  const ownTimezone = read('timezone', timezoneSchema, 'an IANA time zone such as Europe/Berlin');
  const timezone = ownTimezone ?? defaults.timezone;
  if (timezone === undefined && !Object.hasOwn(raw, 'timezone') && !defaults.timezoneRefused) {
    findings.push({
      path: [...path, 'timezone'],
      missing: true,
      expected: 'an IANA time zone on the policy or in defaults.timezone, such as Europe/Berlin or UTC',
    });
  }
  const startDate = read(
    'startDate',
    isoDateTimeSchema,
    'an ISO 8601 date-time such as 2026-01-01T00:00:00Z',
  );
  const endDate = read('endDate', isoDateTimeSchema, 'an ISO 8601 date-time such as 2026-12-31T23:59:59Z');
  if (startDate !== undefined && endDate !== undefined && Date.parse(endDate) <= Date.parse(startDate)) {
    findings.push({
      path: [...path, 'endDate'],
      expected: `a date-time after startDate (${startDate})`,
      received: endDate,
    });
  }
  const flexibleWindowMinutes =
    read('flexibleWindowMinutes', flexibleWindowMinutesSchema, 'a number of minutes') ??
    defaults.flexibleWindowMinutes;
  const targets = read(
    'targets',
    targetsSchema,
    'targets: { tag: production } or { dropletIds: [3164444] }',
    true,
  );
  const skipDates =
    read('skipDates', skipDatesSchema, 'a list of dates such as [2026-12-25]') ?? defaults.skipDates ?? [];
  const skipWhenAlreadyInState = read('skipWhenAlreadyInState', z.boolean(), 'true or false');

  const shape = Object.hasOwn(raw, 'parkSchedule')
    ? 'park'
    : Object.hasOwn(raw, 'powerSchedule')
      ? 'power'
      : 'plain';
  if (shape !== 'park') refuseParkingOptions(raw, path, findings);
  const parts: PolicyPart[] =
    shape === 'park'
      ? parkParts(raw, path, name, findings)
      : shape === 'power'
        ? powerParts(raw, path, name, findings)
        : plainParts(raw, path, read, findings);

  // The types as written, even when the rest of the steps is wrong, so that their rules are checked too.
  const types = shape === 'plain' ? writtenStepTypes(raw) : undefined;
  if (Object.hasOwn(raw, 'retention') && types !== undefined && !types.includes('snapshot')) {
    findings.push({
      path: [...path, 'retention'],
      atKey: true,
      expected: `no retention: only snapshot policies (or steps with a snapshot) delete old snapshots; this one runs ${types.join(', ')}`,
      received: raw.retention,
    });
  }
  const retention = types?.includes('snapshot')
    ? read('retention', retentionSchema, 'a retention such as { keepLast: 7 }')
    : undefined;
  const first = types?.[0];
  if (skipWhenAlreadyInState !== undefined && first !== undefined && powerStateAfter(first) === undefined) {
    findings.push({
      path: [...path, 'skipWhenAlreadyInState'],
      atKey: true,
      expected: `no skipWhenAlreadyInState: ${first} does not change the power state (only power_on, power_off and shutdown do)`,
      received: skipWhenAlreadyInState,
    });
  }
  if (findings.length > before || name === undefined || timezone === undefined || targets === undefined)
    return [];

  return parts.map((part) => {
    const { suffix, schedule, action, timeoutMinutes, fallback, snapshotNameTemplate } = part;
    const policy: Policy = {
      name: `${name}${suffix}`,
      ...(description !== undefined ? { description } : {}),
      ...(team !== undefined && team !== DEFAULT_TEAM ? { team } : {}),
      enabled,
      schedule,
      timezone,
      ...(startDate !== undefined ? { startDate: normalizeInstant(startDate) } : {}),
      ...(endDate !== undefined ? { endDate: normalizeInstant(endDate) } : {}),
      ...(flexibleWindowMinutes !== undefined ? { flexibleWindowMinutes } : {}),
      targets,
      action,
      timeoutMinutes,
      ...(fallback !== undefined ? { fallback } : {}),
      ...(retention !== undefined ? { retention } : {}),
      // Parking decides per droplet itself: an already-off droplet is parked all the same.
      skipWhenAlreadyInState:
        !part.parking && powerStateAfter(action.type) !== undefined && (skipWhenAlreadyInState ?? true),
      skipDates: [...new Set(skipDates)].sort(),
      ...(snapshotNameTemplate !== undefined ? { snapshotNameTemplate } : {}),
      ...(suffix !== '' ? { expandedFrom: name } : {}),
      ...(part.steps !== undefined ? { steps: part.steps } : {}),
      ...(part.onFailure !== undefined ? { onFailure: part.onFailure } : {}),
      ...(part.parking !== undefined ? { parking: part.parking } : {}),
    };
    return policy;
  });
}

/** What one policy of an entry adds to the fields the entry's policies share. */
type PolicyPart = NormalizedWorkflow & {
  readonly suffix: string;
  readonly schedule: string;
  readonly parking?: ParkingOptions;
};

type ReadField = <T>(
  key: string,
  schema: z.ZodType<T>,
  expected: string,
  required?: boolean,
) => T | undefined;

/** A policy with its own `schedule` and `action` or `steps`. */
function plainParts(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  read: ReadField,
  findings: PolicyFinding[],
): PolicyPart[] {
  const schedule = read(
    'schedule',
    scheduleSchema,
    'a schedule such as cron(0 2 * * ? *), rate(1 hour) or at(2026-12-24T18:00:00)',
    true,
  );
  const workflow = normalizeWorkflow(raw, path, findings);
  return schedule !== undefined && workflow !== undefined ? [{ suffix: '', schedule, ...workflow }] : [];
}

/** `powerSchedule` → `-on` (power_on) and `-off` (shutdown, power_off fallback). */
function powerParts(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  name: string | undefined,
  findings: PolicyFinding[],
): PolicyPart[] {
  const expanded = expandDailySchedule(raw, path, name, POWER_SCHEDULE, findings);
  return (expanded?.parts ?? []).map(({ time, suffix, schedule }) =>
    time === 'on'
      ? {
          suffix,
          schedule,
          action: { type: 'power_on' },
          timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes,
        }
      : {
          suffix,
          schedule,
          action: { type: 'shutdown' },
          timeoutMinutes: ACTION_CATALOG.shutdown.defaultTimeoutMinutes,
          fallback: 'power_off',
        },
  );
}

/** `parkSchedule` → `-park` and `-unpark`, with the entry's parking options. */
function parkParts(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  name: string | undefined,
  findings: PolicyFinding[],
): PolicyPart[] {
  const expanded = expandDailySchedule(raw, path, name, PARK_SCHEDULE, findings);
  const allowances = readParkingAllowances(raw, path, findings);
  return expanded && name !== undefined ? parkingParts(name, expanded.parts, allowances) : [];
}
