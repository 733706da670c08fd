import { z } from 'zod';
import { ACTION_CATALOG, type ActionType } from './action-catalog';

type CatalogParams<T extends ActionType> = (typeof ACTION_CATALOG)[T]['params'];

function variant<T extends ActionType>(type: T) {
  const params = ACTION_CATALOG[type].params as CatalogParams<T>;
  return params.extend({ type: z.literal(type) });
}

/**
 * One droplet action as DigitalOcean's request body: `{ type, ...parameters }`.
 * A discriminated union, so that `resize` without `size` or `reboot` with a stray `image`
 * fails with the parameter named.
 */
export const dropletActionSchema = z.discriminatedUnion('type', [
  variant('enable_backups'),
  variant('disable_backups'),
  variant('change_backup_policy'),
  variant('reboot'),
  variant('power_cycle'),
  variant('shutdown'),
  variant('power_off'),
  variant('power_on'),
  variant('restore'),
  variant('password_reset'),
  variant('resize'),
  variant('rebuild'),
  variant('rename'),
  variant('change_kernel'),
  variant('enable_ipv6'),
  variant('snapshot'),
]);

export type DropletAction = z.infer<typeof dropletActionSchema>;

/** The action of one type, e.g. `DropletActionOf<'resize'>` is `{ type: 'resize'; size: string; disk?: boolean }`. */
export type DropletActionOf<T extends ActionType> = Extract<DropletAction, { type: T }>;
