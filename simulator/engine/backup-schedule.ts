import { isoTime } from '../http/iso-time';
import type { DropletRecord } from '../model';
import type { SimulatorStore } from '../store';
import { DueQueue } from './due-queue';

const DAY_MS = 86_400_000;

/** DigitalOcean keeps daily backups for 7 days and weekly ones for 4 weeks. */
const KEEP = { daily: 7, weekly: 4 } as const;

/**
 * Backups DigitalOcean takes of droplets with backups on: one per day (or week) of simulated time,
 * which `timeScale` shortens like every duration, keeping the newest 7 (or 4). Lazy, like actions:
 * a heap of (next backup time, droplet id) is drained on every settle.
 */
export class BackupSchedule {
  private readonly due = new DueQueue();

  constructor(
    private readonly store: SimulatorStore,
    private readonly timeScale: number,
  ) {
    for (const droplet of store.dropletList) {
      if (droplet.backups && droplet.nextBackupAt !== null) this.due.push(droplet.nextBackupAt, droplet.id);
    }
  }

  /** Backups start one interval after `from`. */
  enable(droplet: DropletRecord, from: number): void {
    droplet.nextBackupAt = from + this.intervalMs(droplet);
    this.due.push(droplet.nextBackupAt, droplet.id);
  }

  /** Takes every backup due by `now`; a droplet whose backups were turned off has nothing due. */
  settle(now: number): void {
    for (const dropletId of this.due.popDue(now)) {
      const droplet = this.store.droplets.get(dropletId);
      if (!droplet?.backups || droplet.nextBackupAt === null || droplet.nextBackupAt > now) continue;
      const interval = this.intervalMs(droplet);
      const keep = KEEP[droplet.backupPolicy?.plan ?? 'daily'];
      // After a long jump of the clock only the newest `keep` backups would survive anyway.
      const missed = Math.floor((now - droplet.nextBackupAt) / interval);
      let at = droplet.nextBackupAt + Math.max(0, missed - keep + 1) * interval;
      for (; at <= now; at += interval) {
        this.store.addBackup(
          {
            name: `${droplet.name} ${isoTime(at).replace('T', ' ').replace('Z', '')}`,
            dropletId: droplet.id,
            createdAt: at,
            regionSlug: droplet.regionSlug,
            sizeGigabytes: droplet.usedDiskGb,
            minDiskSize: droplet.disk,
          },
          keep,
        );
      }
      droplet.nextBackupAt = at;
      this.due.push(at, droplet.id);
    }
  }

  private intervalMs(droplet: DropletRecord): number {
    const days = droplet.backupPolicy?.plan === 'weekly' ? 7 : 1;
    return Math.max(1, Math.round((days * DAY_MS) / this.timeScale));
  }
}
