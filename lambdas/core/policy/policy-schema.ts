import * as z from 'zod';
import { powerStateAfter } from '../actions/action-catalog';
import { dropletActionSchema } from '../actions/droplet-action';
import { fallbackSchema, timeoutMinutesSchema } from './action-options';
import type { Policy } from './policy';
import { policyNameSchema } from './policy-name';
import { targetsSchema } from './policy-targets';
import { scheduleSchema } from './schedule-field';
import { flexibleWindowMinutesSchema, isoDateTimeSchema } from './schedule-window';
import { skipDatesSchema } from './skip-dates';
import { snapshotNameTemplateSchema } from './snapshot-name';
import { teamNameSchema } from './team-name';
import { retentionSchema } from './snapshot-retention';
import { timezoneSchema } from './timezone';

/** At most this many characters of description travel with each schedule. */
export const DESCRIPTION_MAX_LENGTH = 512;

export const descriptionSchema = z
  .string()
  .max(DESCRIPTION_MAX_LENGTH, { message: `expected at most ${DESCRIPTION_MAX_LENGTH} characters` });

/**
 * The normalized policy, exactly as the loader produces it and as the dispatch Lambda receives it
 * in the schedule's input. Strict: nothing is defaulted or rewritten here, so that a policy that
 * passes comes out deep-equal to what went in.
 */
export const policySchema = z
  .object({
    name: policyNameSchema,
    description: descriptionSchema.optional(),
    team: teamNameSchema.optional(),
    enabled: z.boolean(),
    schedule: scheduleSchema,
    timezone: timezoneSchema,
    startDate: isoDateTimeSchema.optional(),
    endDate: isoDateTimeSchema.optional(),
    flexibleWindowMinutes: flexibleWindowMinutesSchema.optional(),
    targets: targetsSchema,
    action: dropletActionSchema,
    timeoutMinutes: timeoutMinutesSchema,
    fallback: fallbackSchema.optional(),
    retention: retentionSchema.optional(),
    skipWhenAlreadyInState: z.boolean(),
    skipDates: skipDatesSchema,
    snapshotNameTemplate: snapshotNameTemplateSchema.optional(),
    expandedFrom: policyNameSchema.optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const type = policy.action.type;
    const rule = (path: string, holds: boolean, message: string) => {
      if (!holds) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    rule(
      'fallback',
      policy.fallback === undefined || type === 'shutdown',
      'expected no fallback: only shutdown has one',
    );
    rule(
      'retention',
      policy.retention === undefined || type === 'snapshot',
      'expected no retention: only snapshot has one',
    );
    rule(
      'snapshotNameTemplate',
      (policy.snapshotNameTemplate !== undefined) === (type === 'snapshot'),
      type === 'snapshot'
        ? 'expected a snapshot name template'
        : 'expected no snapshot name template: only snapshot has one',
    );
    if (policy.action.type === 'snapshot' && policy.action.name !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['action', 'name'],
        message: 'expected no name: it comes from snapshotNameTemplate',
      });
    }
    rule(
      'skipWhenAlreadyInState',
      !policy.skipWhenAlreadyInState || powerStateAfter(type) !== undefined,
      `expected false: ${type} does not change the power state`,
    );
    rule(
      'endDate',
      policy.startDate === undefined ||
        policy.endDate === undefined ||
        Date.parse(policy.endDate) > Date.parse(policy.startDate),
      'expected an endDate after startDate',
    );
  }) satisfies z.ZodType<Policy>;
