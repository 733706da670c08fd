import type { ActionType } from '../../lambdas/core/actions/action-catalog';
import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import type { DropletRecord } from '../model';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Durations of the types whose duration does not depend on the droplet. */
const FIXED: Record<Exclude<ActionType, 'snapshot' | 'resize'>, number> = {
  power_off: 5 * SECOND,
  shutdown: 10 * SECOND,
  power_on: 10 * SECOND,
  reboot: 20 * SECOND,
  power_cycle: 15 * SECOND,
  enable_ipv6: 5 * SECOND,
  enable_backups: 5 * SECOND,
  disable_backups: 5 * SECOND,
  change_backup_policy: 5 * SECOND,
  password_reset: 10 * SECOND,
  rename: 3 * SECOND,
  change_kernel: 1 * MINUTE,
  rebuild: 4 * MINUTE,
  restore: 5 * MINUTE,
};

/**
 * How long an action runs on the real API, in milliseconds (the engine divides by timeScale). Power actions take seconds; resize, rebuild
 * and restore minutes; a snapshot 1 to 3 minutes (fixed per droplet) per GB of used disk, as
 * DigitalOcean documents.
 */
export function actionDuration(action: DropletAction, droplet: DropletRecord): number {
  switch (action.type) {
    case 'snapshot':
      return Math.round(droplet.usedDiskGb * droplet.snapshotMinutesPerGb * MINUTE);
    case 'resize':
      // A disk resize copies the disk, so it grows with it.
      return 3 * MINUTE + (action.disk ? droplet.usedDiskGb * 5 * SECOND : 0);
    default:
      return FIXED[action.type];
  }
}

/**
 * How long `POST /v2/droplets` takes to bring a droplet up: under a minute from a public image,
 * longer from a larger snapshot, whose data must be laid down first.
 */
export function createDuration(imageSizeGigabytes: number): number {
  return 45 * SECOND + Math.round(imageSizeGigabytes * 6 * SECOND);
}

/** Assigning a reserved IP or attaching a volume takes seconds. */
export const RESOURCE_ACTION_DURATION = 5 * SECOND;
