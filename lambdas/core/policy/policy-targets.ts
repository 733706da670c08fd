import * as z from 'zod';

/** DigitalOcean's rule for tag names: letters, digits, `:`, `-` and `_`, at most 255 characters. */
const TAG_NAME = /^[a-zA-Z0-9_:-]{1,255}$/;

/** Which droplets a policy acts on: every droplet carrying a tag, or a fixed list of ids. */
export type PolicyTargets = { readonly tag: string } | { readonly dropletIds: readonly number[] };

const dropletIdSchema = z
  .number()
  .int({ message: 'expected a droplet id (a positive integer)' })
  .positive({ message: 'expected a droplet id (a positive integer)' });

/** Exactly one of `tag` or `dropletIds` (non-empty, unique positive integers). */
export const targetsSchema = z
  .object({
    tag: z
      .string()
      .regex(TAG_NAME, { message: 'expected a DigitalOcean tag: letters, digits, ":", "-", "_"' })
      .optional(),
    dropletIds: z
      .array(dropletIdSchema)
      .min(1, { message: 'expected at least one droplet id' })
      .max(1000, { message: 'expected at most 1000 droplet ids (use a tag for more)' })
      .superRefine((ids, ctx) => {
        const seen = new Set<number>();
        ids.forEach((id, index) => {
          if (seen.has(id))
            ctx.addIssue({
              code: 'custom',
              path: [index],
              message: `expected unique droplet ids; ${id} appears twice`,
            });
          seen.add(id);
        });
      })
      .optional(),
  })
  .strict()
  .superRefine((targets, ctx) => {
    const count = Number(targets.tag !== undefined) + Number(targets.dropletIds !== undefined);
    if (count !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          count === 0
            ? 'expected exactly one of tag or dropletIds'
            : 'expected exactly one of tag or dropletIds, not both',
      });
    }
  }) as unknown as z.ZodType<PolicyTargets>;
