import * as z from 'zod';

/** EventBridge Scheduler's limit on a schedule name; each policy becomes one schedule of the same name. */
export const POLICY_NAME_MAX_LENGTH = 64;

const SCHEDULE_NAME_CHARACTERS = /^[0-9A-Za-z_.-]+$/;

/**
 * A policy name: safe as an EventBridge schedule name (`[0-9A-Za-z_.-]`, 1 to 64 characters),
 * with no `--` and no trailing `-`. The last two rules make the `<policy>--<droplet id>-` prefix of
 * snapshot names unambiguous, so that retention never deletes another policy's snapshots (see
 * `snapshot-name.ts`).
 */
export const policyNameSchema = z.string().superRefine((name, ctx) => {
  if (name.length === 0 || name.length > POLICY_NAME_MAX_LENGTH) {
    ctx.addIssue({ code: 'custom', message: `expected 1 to ${POLICY_NAME_MAX_LENGTH} characters` });
  } else if (!SCHEDULE_NAME_CHARACTERS.test(name)) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected only letters, digits, "_", "." and "-" (no spaces): an EventBridge schedule name',
    });
  } else if (name.includes('--') || name.endsWith('-')) {
    ctx.addIssue({
      code: 'custom',
      message:
        'expected no "--" and no trailing "-": "--" separates the policy from the droplet id in snapshot names',
    });
  }
});
