import * as z from 'zod';
import { ACTION_CATALOG, isActionType, powerStateAfter } from '../actions/action-catalog';
import { asMapping, readField, readMapping } from './mapping-fields';
import { normalizeAction, type NormalizedAction } from './normalize-action';
import type { Policy } from './policy';
import type { PolicyDefaults } from './policy-defaults';
import type { PathSegment, PolicyFinding } from './policy-finding';
import { POLICY_NAME_MAX_LENGTH, policyNameSchema } from './policy-name';
import { descriptionSchema } from './policy-schema';
import { targetsSchema } from './policy-targets';
import { parseDays, powerCron, powerScheduleSchema } from './power-schedule';
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
  'powerSchedule',
] as const;

/** The suffixes a `powerSchedule` adds to its policy's name. */
const POWER_SUFFIXES = { on: '-on', off: '-off' } as const;
const LONGEST_SUFFIX = POWER_SUFFIXES.off.length;

/**
 * Validates one entry of `policies:` and turns it into normalized policies: one, or two for a
 * `powerSchedule`. Reports every problem of the entry; returns no policy when there is any.
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

  const isPowerSchedule = Object.hasOwn(raw, 'powerSchedule');
  const actions = isPowerSchedule
    ? powerActions(raw, path, name, findings)
    : [
        {
          suffix: '',
          schedule: read(
            'schedule',
            scheduleSchema,
            'a schedule such as cron(0 2 * * ? *), rate(1 hour) or at(2026-12-24T18:00:00)',
            true,
          ),
          ...normalizeAction(raw.action, [...path, 'action'], findings),
        },
      ];

  // The type as written, even when the rest of the action is wrong, so that its rules are checked too.
  const writtenType = asMapping(raw.action)?.type;
  const type = !isPowerSchedule && isActionType(writtenType) ? writtenType : undefined;
  if (Object.hasOwn(raw, 'retention') && type !== undefined && type !== 'snapshot') {
    findings.push({
      path: [...path, 'retention'],
      atKey: true,
      expected: `no retention: only snapshot policies delete old snapshots (this one is ${type})`,
      received: raw.retention,
    });
  }
  const retention =
    type === 'snapshot'
      ? read('retention', retentionSchema, 'a retention such as { keepLast: 7 }')
      : undefined;
  if (skipWhenAlreadyInState !== undefined && type !== undefined && powerStateAfter(type) === undefined) {
    findings.push({
      path: [...path, 'skipWhenAlreadyInState'],
      atKey: true,
      expected: `no skipWhenAlreadyInState: ${type} does not change the power state (only power_on, power_off and shutdown do)`,
      received: skipWhenAlreadyInState,
    });
  }
  if (findings.length > before || name === undefined || timezone === undefined || targets === undefined)
    return [];

  return actions.flatMap(({ suffix, schedule, action, timeoutMinutes, fallback, snapshotNameTemplate }) => {
    // Each part that is missing here was reported above; the check narrows the types.
    if (schedule === undefined || action === undefined || timeoutMinutes === undefined) return [];
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
      skipWhenAlreadyInState: powerStateAfter(action.type) !== undefined && (skipWhenAlreadyInState ?? true),
      skipDates: [...new Set(skipDates)].sort(),
      ...(snapshotNameTemplate !== undefined ? { snapshotNameTemplate } : {}),
      ...(suffix !== '' ? { expandedFrom: name } : {}),
    };
    return [policy];
  });
}

type ExpandedAction = Partial<NormalizedAction> & { suffix: string; schedule?: string };

/** `powerSchedule` → `-on` (power_on) and `-off` (shutdown, power_off fallback) actions with their crons. */
function powerActions(
  raw: Record<string, unknown>,
  path: readonly PathSegment[],
  name: string | undefined,
  findings: PolicyFinding[],
): ExpandedAction[] {
  for (const key of ['schedule', 'action', 'retention'] as const) {
    if (Object.hasOwn(raw, key)) {
      findings.push({
        path: [...path, key],
        atKey: true,
        expected: `no ${key}: a powerSchedule policy makes its own -on and -off policies`,
        received: raw[key],
      });
    }
  }
  if (name !== undefined && name.length > POLICY_NAME_MAX_LENGTH - LONGEST_SUFFIX) {
    findings.push({
      path: [...path, 'name'],
      expected: `at most ${POLICY_NAME_MAX_LENGTH - LONGEST_SUFFIX} characters, since powerSchedule adds "${POWER_SUFFIXES.off}"`,
      received: name,
    });
  }
  const schedule = readField(
    raw,
    'powerSchedule',
    path,
    {
      schema: powerScheduleSchema,
      expected: 'a power schedule such as { on: "07:00", off: "20:00", days: MON-FRI }',
    },
    findings,
  );
  if (!schedule) return [];
  const days = parseDays(schedule.days);
  if (typeof days === 'string') return [];
  const expanded: ExpandedAction[] = [];
  if (schedule.on !== undefined) {
    expanded.push({
      suffix: POWER_SUFFIXES.on,
      schedule: powerCron(schedule.on, days),
      action: { type: 'power_on' },
      timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes,
    });
  }
  if (schedule.off !== undefined) {
    expanded.push({
      suffix: POWER_SUFFIXES.off,
      schedule: powerCron(schedule.off, days),
      action: { type: 'shutdown' },
      timeoutMinutes: ACTION_CATALOG.shutdown.defaultTimeoutMinutes,
      fallback: 'power_off',
    });
  }
  return expanded;
}
