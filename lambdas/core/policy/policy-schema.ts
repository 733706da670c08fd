import * as z from 'zod';
import { powerStateAfter } from '../actions/action-catalog';
import { dropletActionSchema } from '../actions/droplet-action';
import { fallbackSchema, timeoutMinutesSchema } from './action-options';
import { MAX_STEPS } from './normalize-workflow';
import { parkingOptionsSchema, type ParkingOptions } from './parking-options';
import type { Policy, PolicyStep } from './policy';
import type { PathSegment } from './policy-finding';
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
 * One step of a workflow (`PolicyStep`): DigitalOcean's request body and our options, with the
 * same rules as the policy's own first step.
 */
export const policyStepSchema = z
  .object({
    action: dropletActionSchema,
    timeoutMinutes: timeoutMinutesSchema,
    fallback: fallbackSchema.optional(),
    snapshotNameTemplate: snapshotNameTemplateSchema.optional(),
  })
  .strict()
  .superRefine((step, ctx) => checkStepOptions(step, ctx)) satisfies z.ZodType<PolicyStep>;

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
    steps: z
      .array(policyStepSchema)
      .min(1, { message: 'expected at least one step after action (leave steps out for action alone)' })
      .max(MAX_STEPS - 1, { message: `expected at most ${MAX_STEPS - 1} steps after action` })
      .optional(),
    onFailure: policyStepSchema.optional(),
    parking: parkingOptionsSchema.optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const type = policy.action.type;
    const rule = (path: PathSegment[], holds: boolean, message: string) => {
      if (!holds) ctx.addIssue({ code: 'custom', path, message });
    };
    checkStepOptions(policy, ctx);
    const steps = [policy, ...(policy.steps ?? [])];
    rule(
      ['retention'],
      policy.retention === undefined || steps.some((step) => step.action.type === 'snapshot'),
      'expected no retention: only a policy with a snapshot step has one',
    );
    const workflow: [PathSegment[], PolicyStep | undefined][] = [
      [[], policy],
      ...(policy.steps ?? []).map((step, index): [PathSegment[], PolicyStep] => [['steps', index], step]),
      [['onFailure'], policy.onFailure],
    ];
    const snapshots = workflow.filter(([, step]) => step?.action.type === 'snapshot');
    for (const [path] of snapshots.slice(1)) {
      rule(
        [...path, 'action', 'type'],
        false,
        'expected at most one snapshot in a policy (steps and onFailure together)',
      );
    }
    rule(
      ['skipWhenAlreadyInState'],
      !policy.skipWhenAlreadyInState || powerStateAfter(type) !== undefined,
      `expected false: ${type} does not change the power state`,
    );
    rule(
      ['endDate'],
      policy.startDate === undefined ||
        policy.endDate === undefined ||
        Date.parse(policy.endDate) > Date.parse(policy.startDate),
      'expected an endDate after startDate',
    );
    if (policy.parking) checkParking(policy, policy.parking, rule);
  }) satisfies z.ZodType<Policy>;

type Rule = (path: PathSegment[], holds: boolean, message: string) => void;

/** The options only some types take: a fallback for shutdown, a name template for every snapshot and only there. */
function checkStepOptions(step: PolicyStep, ctx: z.RefinementCtx): void {
  const type = step.action.type;
  const rule: Rule = (path, holds, message) => {
    if (!holds) ctx.addIssue({ code: 'custom', path, message });
  };
  rule(
    ['fallback'],
    step.fallback === undefined || type === 'shutdown',
    'expected no fallback: only shutdown has one',
  );
  rule(
    ['snapshotNameTemplate'],
    (step.snapshotNameTemplate !== undefined) === (type === 'snapshot'),
    type === 'snapshot'
      ? 'expected a snapshot name template'
      : 'expected no snapshot name template: only snapshot has one',
  );
  rule(
    ['action', 'name'],
    step.action.type !== 'snapshot' || step.action.name === undefined,
    'expected no name: it comes from snapshotNameTemplate',
  );
}

/**
 * A parking policy's `action` is the power state it amounts to (shutdown to park, power_on to
 * unpark); the engine builds its steps from `parking`, so it has none of its own.
 */
function checkParking(policy: Policy, parking: ParkingOptions, rule: Rule): void {
  const because = "a parking policy's steps come from parking";
  rule(['steps'], policy.steps === undefined, `expected no steps: ${because}`);
  rule(['onFailure'], policy.onFailure === undefined, `expected no onFailure: ${because}`);
  rule(
    ['retention'],
    policy.retention === undefined,
    `expected no retention: ${because} (see keepSnapshots)`,
  );
  const type = parking.role === 'park' ? 'shutdown' : 'power_on';
  rule(
    ['action', 'type'],
    policy.action.type === type,
    `expected ${type}: a${parking.role === 'park' ? ' park' : 'n unpark'} policy's action is the power state it leaves droplets in`,
  );
  rule(
    ['skipWhenAlreadyInState'],
    !policy.skipWhenAlreadyInState,
    'expected false: parking acts on droplets whether they are on or off',
  );
  rule(
    ['parking', 'parkPolicy'],
    parking.role !== 'park' || parking.parkPolicy === policy.name,
    `expected the policy's own name, ${JSON.stringify(policy.name)}: a park policy names itself`,
  );
}
