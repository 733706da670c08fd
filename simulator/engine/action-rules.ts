import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import type { DropletRecord } from '../model';
import { IMAGES_BY_ID, IMAGES_BY_SLUG, SIZES_BY_SLUG } from '../reference-data';

/** DigitalOcean's message when a droplet already runs an action. */
export const PENDING_EVENT_MESSAGE = 'Droplet already has a pending event.';

/**
 * Why DigitalOcean would refuse this action on this droplet right now (a 422), or undefined.
 * Beyond the pending event: power actions that would not change the power state, resize of a
 * running droplet (the API reference: the droplet must be powered off), shrinking a disk, a
 * backup policy change without backups, and restore or rebuild from an image the droplet cannot use.
 */
export function refusalReason(droplet: DropletRecord, action: DropletAction): string | undefined {
  if (droplet.locked) return PENDING_EVENT_MESSAGE;
  switch (action.type) {
    case 'power_on':
      return droplet.status === 'active' ? 'Droplet is already powered on.' : undefined;
    case 'power_off':
    case 'shutdown':
      return droplet.status === 'off' ? 'Droplet is already powered off.' : undefined;
    case 'reboot':
      return droplet.status === 'off' ? 'Droplet is currently off; use power_on to start it.' : undefined;
    case 'resize': {
      if (droplet.status !== 'off') return 'Droplet must be powered off before it can be resized.';
      const size = SIZES_BY_SLUG.get(action.size);
      if (!size) {
        return `size: expected one of ${[...SIZES_BY_SLUG.keys()].join(', ')}, got: '${action.size}'`;
      }
      if (action.disk && size.disk < droplet.disk) {
        return `size: '${action.size}' has a ${size.disk} GB disk, smaller than the droplet's ${droplet.disk} GB; a disk cannot shrink`;
      }
      if (!action.disk && size.disk < droplet.usedDiskGb) {
        return `size: '${action.size}' is too small for the droplet's disk`;
      }
      return undefined;
    }
    case 'change_backup_policy':
      return droplet.backups ? undefined : 'Backups must be enabled to change the backup policy.';
    case 'restore':
      return droplet.backupIds.includes(action.image) || droplet.snapshotIds.includes(action.image)
        ? undefined
        : `image: ${action.image} is not a backup or snapshot of droplet ${droplet.id}`;
    case 'rebuild': {
      const known =
        typeof action.image === 'string'
          ? IMAGES_BY_SLUG.has(action.image)
          : IMAGES_BY_ID.has(action.image) || droplet.snapshotIds.includes(action.image);
      return known
        ? undefined
        : `image: ${JSON.stringify(action.image)} is not an image this droplet can use`;
    }
    default:
      return undefined;
  }
}
