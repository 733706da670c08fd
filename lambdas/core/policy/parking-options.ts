import * as z from 'zod';

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

export const parkingOptionsSchema = z
  .object({
    role: z.enum(['park', 'unpark']),
    parkPolicy: z.string().min(1),
    allowIpChange: z.boolean(),
    allowBackupLoss: z.boolean(),
    keepSnapshots: z.number().int().min(0).max(30),
  })
  .strict() satisfies z.ZodType<ParkingOptions>;
