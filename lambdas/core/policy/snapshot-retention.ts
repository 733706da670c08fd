import * as z from 'zod';

/**
 * Which of this policy's own snapshots of a droplet to keep after each successful snapshot. A
 * snapshot is deleted when either rule says so: it is older than `keepLast` newer ones, or older
 * than `maxAgeDays`. Only snapshots whose names carry the policy's prefix for that droplet are
 * ever considered (see `isOwnSnapshot`).
 */
export interface SnapshotRetention {
  /** Keep the newest N snapshots. */
  readonly keepLast?: number;
  /** Delete snapshots older than N days. */
  readonly maxAgeDays?: number;
}

export const retentionSchema = z
  .object({
    keepLast: z
      .number()
      .int({ message: 'expected a whole number of snapshots' })
      .min(1, { message: 'expected 1 to 1000 snapshots' })
      .max(1000, { message: 'expected 1 to 1000 snapshots' })
      .optional(),
    maxAgeDays: z
      .number()
      .int({ message: 'expected a whole number of days' })
      .min(1, { message: 'expected 1 to 3650 days' })
      .max(3650, { message: 'expected 1 to 3650 days' })
      .optional(),
  })
  .strict()
  .refine((retention) => retention.keepLast !== undefined || retention.maxAgeDays !== undefined, {
    message: 'expected at least one of keepLast or maxAgeDays',
  }) satisfies z.ZodType<SnapshotRetention>;
