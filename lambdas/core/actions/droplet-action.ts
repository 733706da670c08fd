import * as z from 'zod';
import { ACTION_CATALOG, type ActionType } from './action-catalog';

/**
 * One droplet action as DigitalOcean's request body: `{ type, ...parameters }`.
 * A discriminated union, so that `resize` without `size` or `reboot` with a stray `image`
 * fails with the parameter named.
 */
export const dropletActionSchema = z.discriminatedUnion('type', [
  ACTION_CATALOG.enable_backups.params.extend({ type: z.literal('enable_backups') }),
  ACTION_CATALOG.disable_backups.params.extend({ type: z.literal('disable_backups') }),
  ACTION_CATALOG.change_backup_policy.params.extend({ type: z.literal('change_backup_policy') }),
  ACTION_CATALOG.reboot.params.extend({ type: z.literal('reboot') }),
  ACTION_CATALOG.power_cycle.params.extend({ type: z.literal('power_cycle') }),
  ACTION_CATALOG.shutdown.params.extend({ type: z.literal('shutdown') }),
  ACTION_CATALOG.power_off.params.extend({ type: z.literal('power_off') }),
  ACTION_CATALOG.power_on.params.extend({ type: z.literal('power_on') }),
  ACTION_CATALOG.restore.params.extend({ type: z.literal('restore') }),
  ACTION_CATALOG.password_reset.params.extend({ type: z.literal('password_reset') }),
  ACTION_CATALOG.resize.params.extend({ type: z.literal('resize') }),
  ACTION_CATALOG.rebuild.params.extend({ type: z.literal('rebuild') }),
  ACTION_CATALOG.rename.params.extend({ type: z.literal('rename') }),
  ACTION_CATALOG.change_kernel.params.extend({ type: z.literal('change_kernel') }),
  ACTION_CATALOG.enable_ipv6.params.extend({ type: z.literal('enable_ipv6') }),
  ACTION_CATALOG.snapshot.params.extend({ type: z.literal('snapshot') }),
]);

export type DropletAction = z.infer<typeof dropletActionSchema>;

/** The action of one type, e.g. `DropletActionOf<'resize'>` is `{ type: 'resize'; size: string; disk?: boolean }`. */
export type DropletActionOf<T extends ActionType> = Extract<DropletAction, { type: T }>;
