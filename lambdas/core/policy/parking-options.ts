import * as z from 'zod';
import { policyNameSchema } from './policy-name';

/**
 * What a parking policy does, and what its owner allows it to lose. A `parkSchedule` expands into
 * a `-park` policy and an `-unpark` policy that share these options; the unpark one acts on the
 * droplets the park one parked.
 */
export interface ParkingOptions {
  /** `park`: snapshot, record and destroy; `unpark`: recreate from the snapshot and restore. */
  readonly role: 'park' | 'unpark';
  /** The park policy whose droplets this pair parks and unparks (`<name>-park`). */
  readonly parkPolicy: string;
  /**
   * A droplet without a reserved IP gets a new public IPv4 on every unpark; without this, such a
   * droplet is left running and recorded `skipped`.
   * @default false
   */
  readonly allowIpChange: boolean;
  /**
   * Destroying a droplet destroys its backups; without this, a droplet with backups enabled is left
   * running and recorded `skipped`.
   * @default false
   */
  readonly allowBackupLoss: boolean;
  /**
   * Park snapshots kept per droplet after an unpark (the newest), as a way back; the rest are
   * deleted once the droplet runs again.
   * @default 0
   */
  readonly keepSnapshots: number;
}

/** The most park snapshots a policy may keep per droplet: each one is billed per GB-month. */
export const MAX_KEPT_PARK_SNAPSHOTS = 30;

export const keepSnapshotsSchema = z
  .number({ message: `expected 0 to ${MAX_KEPT_PARK_SNAPSHOTS} snapshots` })
  .int({ message: 'expected a whole number of snapshots' })
  .min(0, { message: `expected 0 to ${MAX_KEPT_PARK_SNAPSHOTS} snapshots` })
  .max(MAX_KEPT_PARK_SNAPSHOTS, { message: `expected 0 to ${MAX_KEPT_PARK_SNAPSHOTS} snapshots` });

export const parkingOptionsSchema = z
  .object({
    role: z.enum(['park', 'unpark']),
    parkPolicy: policyNameSchema,
    allowIpChange: z.boolean(),
    allowBackupLoss: z.boolean(),
    keepSnapshots: keepSnapshotsSchema,
  })
  .strict() satisfies z.ZodType<ParkingOptions>;
