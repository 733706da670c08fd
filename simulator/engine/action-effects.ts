import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import type { DropletRecord } from '../model';
import { IMAGES_BY_ID, IMAGES_BY_SLUG, SIZES_BY_SLUG } from '../reference-data';
import type { SimulatorStore } from '../store';
import type { BackupSchedule } from './backup-schedule';

export interface EffectContext {
  readonly store: SimulatorStore;
  /** Epoch milliseconds at which the action completed. */
  readonly completedAt: number;
  /** True when a shutdown should leave the droplet running (fault injection). */
  readonly shutdownIgnored: boolean;
  readonly backups: BackupSchedule;
}

/** What a completed action does to its droplet; errored actions change nothing. */
export function applyEffect(droplet: DropletRecord, action: DropletAction, context: EffectContext): void {
  switch (action.type) {
    case 'power_off':
      droplet.status = 'off';
      return;
    case 'shutdown':
      if (!context.shutdownIgnored) droplet.status = 'off';
      return;
    case 'power_on':
    case 'power_cycle':
    case 'reboot':
      droplet.status = 'active';
      return;
    case 'snapshot': {
      const snapshot = context.store.addSnapshot({
        // DigitalOcean names an unnamed snapshot after the droplet and the time in Unix seconds.
        name: action.name || `${droplet.name}-${Math.floor(context.completedAt / 1000)}`,
        dropletId: droplet.id,
        createdAt: context.completedAt,
        regionSlug: droplet.regionSlug,
        sizeGigabytes: droplet.usedDiskGb,
        minDiskSize: droplet.disk,
      });
      context.store.recordHistory({
        kind: 'snapshot-taken',
        at: context.completedAt,
        snapshotId: snapshot.id,
        dropletId: droplet.id,
        name: snapshot.name,
        sizeGigabytes: snapshot.sizeGigabytes,
      });
      return;
    }
    case 'resize': {
      const size = SIZES_BY_SLUG.get(action.size)!;
      droplet.sizeSlug = size.slug;
      droplet.memory = size.memory;
      droplet.vcpus = size.vcpus;
      if (action.disk) droplet.disk = size.disk;
      return;
    }
    case 'rename':
      droplet.name = action.name;
      return;
    case 'enable_backups':
      droplet.backups = true;
      droplet.backupPolicy = action.backup_policy ?? droplet.backupPolicy ?? { plan: 'daily', hour: 0 };
      context.backups.enable(droplet, context.completedAt);
      return;
    case 'change_backup_policy':
      droplet.backupPolicy = action.backup_policy;
      context.backups.enable(droplet, context.completedAt);
      return;
    case 'disable_backups':
      droplet.backups = false;
      droplet.backupPolicy = null;
      droplet.nextBackupAt = null;
      return;
    case 'enable_ipv6':
      droplet.ipv6 = true;
      return;
    case 'rebuild': {
      const image =
        typeof action.image === 'string' ? IMAGES_BY_SLUG.get(action.image) : IMAGES_BY_ID.get(action.image);
      if (image) {
        droplet.imageId = image.id;
        droplet.imageSlug = image.slug;
        delete droplet.sourceImage;
      }
      return;
    }
    case 'change_kernel':
      droplet.kernelId = action.kernel;
      return;
    case 'restore':
    case 'password_reset':
      return;
  }
}
