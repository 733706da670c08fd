import * as z from 'zod';
import { backupPolicySchema } from './backup-policy';

/**
 * How quickly an action of a type usually settles, which drives how often the reconciler looks.
 * - `seconds`: power and small metadata changes.
 * - `minutes`: resize, rebuild, restore and the like.
 * - `disk`: proportional to the droplet's used disk (snapshots: about 1 to 3 minutes per GB).
 */
export type SettlePace = 'seconds' | 'minutes' | 'disk';

/** What DigitalOcean's token must be allowed to do for a type (from the official API reference). */
export type TokenScope = 'droplet:update' | 'droplet:admin' | 'droplet:create' | 'image:create';

/** What the catalog knows about one action type. */
export interface CatalogEntry {
  /** The parameters beside `type` in the request body, with DigitalOcean's real rules. */
  readonly params: z.ZodObject;
  /** Token scopes DigitalOcean requires. */
  readonly scopes: readonly TokenScope[];
  /** Whether `POST /v2/droplets/actions?tag_name=` accepts this type. */
  readonly bulkByTag: boolean;
  readonly pace: SettlePace;
  /** The power state the droplet is in once the action completes, for types that change it. */
  readonly powerStateAfter?: 'off' | 'active';
  /** Minutes after which an unfinished action is recorded as `timed-out`, unless a policy says otherwise. */
  readonly defaultTimeoutMinutes: number;
  readonly summary: string;
}

const noParams = z.object({}).strict();

/**
 * The single source of truth for the sixteen droplet action types: their parameters with the real
 * rules, the token scopes they need, whether DigitalOcean accepts them in bulk by tag, and the
 * power state they lead to. The client, the simulator, the policy schema and the docs all read it.
 */
export const ACTION_CATALOG = {
  enable_backups: {
    params: z.object({ backup_policy: backupPolicySchema.optional() }).strict(),
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Enables backups, optionally with a backup policy (daily by default).',
  },
  disable_backups: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Disables backups.',
  },
  change_backup_policy: {
    params: z.object({ backup_policy: backupPolicySchema }).strict(),
    scopes: ['droplet:update'],
    bulkByTag: false,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Changes the backup policy of a droplet that has backups enabled.',
  },
  reboot: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: false,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Reboots gracefully, like `reboot` on the console.',
  },
  power_cycle: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Power cycles, like the reset button.',
  },
  shutdown: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    powerStateAfter: 'off',
    defaultTimeoutMinutes: 5,
    summary:
      'Sends a graceful shutdown; only guarantees the signal was sent. Pair it with a power_off fallback.',
  },
  power_off: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    powerStateAfter: 'off',
    defaultTimeoutMinutes: 5,
    summary: 'Hard power off. A powered-off droplet is still billed.',
  },
  power_on: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    powerStateAfter: 'active',
    defaultTimeoutMinutes: 5,
    summary: 'Powers on.',
  },
  restore: {
    params: z.object({ image: z.number().int().positive() }).strict(),
    scopes: ['droplet:update', 'droplet:admin'],
    bulkByTag: false,
    pace: 'minutes',
    defaultTimeoutMinutes: 120,
    summary: "Restores from a backup image id of this droplet's own backups.",
  },
  password_reset: {
    params: noParams,
    scopes: ['droplet:update', 'droplet:admin'],
    bulkByTag: false,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Resets the root password; the new one is emailed.',
  },
  resize: {
    params: z
      .object({
        size: z.string().regex(/^[a-z0-9-]+$/, 'expected a size slug such as s-2vcpu-2gb'),
        disk: z.boolean().optional(),
      })
      .strict(),
    scopes: ['droplet:update', 'droplet:create'],
    bulkByTag: false,
    pace: 'minutes',
    defaultTimeoutMinutes: 60,
    summary: 'Resizes to a size slug; with `disk: true` the disk grows too, which cannot be undone.',
  },
  rebuild: {
    params: z.object({ image: z.union([z.string().min(1), z.number().int().positive()]) }).strict(),
    scopes: ['droplet:update', 'droplet:admin'],
    bulkByTag: false,
    pace: 'minutes',
    defaultTimeoutMinutes: 60,
    summary: 'Rebuilds from an image id or a public image slug, erasing the disk.',
  },
  rename: {
    params: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9.-]{1,255}$/, 'expected a hostname: letters, digits, "." and "-"'),
      })
      .strict(),
    scopes: ['droplet:update'],
    bulkByTag: false,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Renames the droplet.',
  },
  change_kernel: {
    params: z.object({ kernel: z.number().int().positive() }).strict(),
    scopes: ['droplet:update'],
    bulkByTag: false,
    pace: 'minutes',
    defaultTimeoutMinutes: 30,
    summary: 'Changes the kernel of a droplet with an externally managed kernel.',
  },
  enable_ipv6: {
    params: noParams,
    scopes: ['droplet:update'],
    bulkByTag: true,
    pace: 'seconds',
    defaultTimeoutMinutes: 10,
    summary: 'Enables IPv6; it cannot be disabled again.',
  },
  snapshot: {
    params: z.object({ name: z.string().min(1).max(255).optional() }).strict(),
    scopes: ['droplet:update', 'image:create'],
    bulkByTag: true,
    pace: 'disk',
    defaultTimeoutMinutes: 360,
    summary: 'Takes a snapshot; about 1 to 3 minutes per GB of used disk.',
  },
} as const satisfies Record<string, CatalogEntry>;

export type ActionType = keyof typeof ACTION_CATALOG;

export const ACTION_TYPES = Object.keys(ACTION_CATALOG) as ActionType[];

/** The eight types DigitalOcean accepts on `POST /v2/droplets/actions?tag_name=`. */
export const BULK_ACTION_TYPES = ACTION_TYPES.filter((type) => ACTION_CATALOG[type].bulkByTag);

export function isActionType(value: unknown): value is ActionType {
  return typeof value === 'string' && Object.hasOwn(ACTION_CATALOG, value);
}

/** The power state a droplet reaches after this type completes, when the type changes it. */
export function powerStateAfter(type: ActionType): 'off' | 'active' | undefined {
  return catalogEntry(type).powerStateAfter;
}

export function catalogEntry(type: ActionType): CatalogEntry {
  return ACTION_CATALOG[type];
}
