import * as z from 'zod';

/** Hours at which DigitalOcean can open a backup window; anything else is refused with a 422. */
export const BACKUP_WINDOW_HOURS = [0, 4, 8, 12, 16, 20] as const;

export const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/**
 * The writable part of DigitalOcean's `droplet_backup_policy`.
 * `window_length_hours` and `retention_period_days` are read-only there, so they are not accepted here.
 */
export const backupPolicySchema = z
  .object({
    plan: z.enum(['daily', 'weekly']),
    weekday: z.enum(WEEKDAYS).optional(),
    hour: z
      .number()
      .int()
      .refine((hour) => (BACKUP_WINDOW_HOURS as readonly number[]).includes(hour), {
        message: `expected one of ${BACKUP_WINDOW_HOURS.join(', ')}`,
      })
      .optional(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (policy.plan === 'weekly' && policy.weekday === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['weekday'],
        message: 'expected a weekday (SUN..SAT) for a weekly plan',
      });
    }
    if (policy.plan === 'daily' && policy.weekday !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'expected no weekday for a daily plan' });
    }
  });

export type BackupPolicy = z.infer<typeof backupPolicySchema>;
