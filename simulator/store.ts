import type {
  ActionRecord,
  BackupRecord,
  DropletRecord,
  FirewallRecord,
  HistoryEvent,
  ProjectRecord,
  ReservedIpRecord,
  SnapshotRecord,
  VolumeRecord,
} from './model';
import { REGIONS, SIZES, type SizeData } from './reference-data';

/** First ids, of the order DigitalOcean's real ids have, and far apart so that no two kinds collide. */
export const FIRST_ACTION_ID = 2_100_000_001;
export const FIRST_SNAPSHOT_ID = 180_000_001;
/** Ids of backups; images too, so they must not meet snapshot ids. */
export const FIRST_BACKUP_ID = 170_000_001;

/**
 * The next id of each kind. Saved with the account, so that no id repeats across restarts: a
 * ledger that recorded action 2100000001 must never meet another action of that id.
 */
export interface IdCounters {
  action: number;
  snapshot: number;
  backup: number;
  /** The next droplet id `POST /v2/droplets` gives (seeded droplets may choose their own). */
  droplet: number;
  /** The next `DropletRecord.index`, never reused, so that every create gets a new public IPv4. */
  dropletIndex: number;
  /** The next generated UUID (volumes, firewalls, projects created by seeds without an id). */
  uuid: number;
}

/** A size as the account offers it: which regions, and whether it is offered at all. */
export interface SizeRecord extends SizeData {
  regions: string[];
  available: boolean;
}

function insertById<T extends { id: number }>(list: T[], item: T): void {
  if (list.length === 0 || list[list.length - 1]!.id < item.id) {
    list.push(item);
    return;
  }
  list.splice(indexOfId(list, item.id), 0, item);
}

/** Where `id` is or would go in a list sorted by id. */
function indexOfId<T extends { id: number }>(list: readonly T[], id: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.id < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

function removeById<T extends { id: number }>(list: T[], id: number): void {
  const index = indexOfId(list, id);
  if (list[index]?.id === id) list.splice(index, 1);
}

export const dropletUrn = (dropletId: number): string => `do:droplet:${dropletId}`;

/** How many history entries the account keeps; the oldest go first (a local run may last for days). */
export const HISTORY_LIMIT = 100_000;

/**
 * Everything the simulated account holds, with the indexes the routes need so that no request
 * scans all droplets or all actions: droplets by id and by tag (in id order), actions by id, in
 * creation order and per droplet, snapshots and backups by id, and the account's reserved IPs,
 * volumes, firewalls and projects.
 */
export class SimulatorStore {
  readonly droplets = new Map<number, DropletRecord>();
  /** Droplets in ascending id order, the order `GET /v2/droplets` lists them in. */
  readonly dropletList: DropletRecord[] = [];
  readonly dropletsByTag = new Map<string, DropletRecord[]>();
  readonly actions = new Map<number, ActionRecord>();
  /** Oldest first; lists read it backwards for newest first. */
  readonly actionList: ActionRecord[] = [];
  readonly actionsByDroplet = new Map<number, ActionRecord[]>();
  readonly snapshots = new Map<number, SnapshotRecord>();
  readonly backups = new Map<number, BackupRecord>();
  /** In the order they were added. */
  readonly reservedIps = new Map<string, ReservedIpRecord>();
  readonly volumes = new Map<string, VolumeRecord>();
  readonly firewalls = new Map<string, FirewallRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  /** Which project holds a resource: a resource is in exactly one. */
  readonly projectByUrn = new Map<string, string>();
  readonly sizes = new Map<string, SizeRecord>();
  readonly ids: IdCounters;
  /**
   * The tags and droplet ids start seeds have covered, ever: a restart from a saved state adds a
   * seed only for a tag or id never seen, so that a droplet destroyed since is not brought back.
   */
  readonly seeded = { tags: new Set<string>(), dropletIds: new Set<number>() };
  /**
   * Creates, destroys and snapshots, oldest first, at most `HISTORY_LIMIT`. Not kept in the state
   * file: it describes this process's run, for tests and the chaos harness.
   */
  readonly history: HistoryEvent[] = [];

  constructor(fleet: readonly DropletRecord[], ids?: Partial<IdCounters>) {
    const highest = fleet.reduce((max, droplet) => Math.max(max, droplet.id), 400_000_000);
    const nextIndex = fleet.reduce((max, droplet) => Math.max(max, droplet.index + 1), 0);
    this.ids = {
      action: FIRST_ACTION_ID,
      snapshot: FIRST_SNAPSHOT_ID,
      backup: FIRST_BACKUP_ID,
      droplet: highest + 1,
      dropletIndex: nextIndex,
      uuid: 1,
      ...ids,
    };
    for (const size of SIZES) {
      this.sizes.set(size.slug, { ...size, regions: REGIONS.map((region) => region.slug), available: true });
    }
    for (const droplet of fleet) this.addDroplet(droplet);
  }

  addDroplet(droplet: DropletRecord): void {
    this.droplets.set(droplet.id, droplet);
    insertById(this.dropletList, droplet);
    for (const tag of droplet.tags) {
      let tagged = this.dropletsByTag.get(tag);
      if (!tagged) {
        tagged = [];
        this.dropletsByTag.set(tag, tagged);
      }
      insertById(tagged, droplet);
    }
    this.ids.droplet = Math.max(this.ids.droplet, droplet.id + 1);
    this.ids.dropletIndex = Math.max(this.ids.dropletIndex, droplet.index + 1);
  }

  /**
   * Destroys a droplet as DigitalOcean does: its backups go with it; its snapshots, reserved IPs
   * (unassigned), volumes (detached) stay in the account; firewalls and projects that name it by
   * id forget it. Its actions stay readable by id.
   */
  removeDroplet(id: number): void {
    const droplet = this.droplets.get(id);
    if (!droplet) return;
    this.droplets.delete(id);
    removeById(this.dropletList, id);
    for (const tag of droplet.tags) {
      const tagged = this.dropletsByTag.get(tag);
      if (!tagged) continue;
      removeById(tagged, id);
      if (tagged.length === 0) this.dropletsByTag.delete(tag);
    }
    for (const backupId of droplet.backupIds) this.backups.delete(backupId);
    for (const ip of this.reservedIps.values()) if (ip.dropletId === id) ip.dropletId = null;
    for (const volumeId of droplet.volumeIds) {
      const volume = this.volumes.get(volumeId);
      if (volume) volume.dropletIds = volume.dropletIds.filter((dropletId) => dropletId !== id);
    }
    for (const firewall of this.firewalls.values()) {
      firewall.dropletIds = firewall.dropletIds.filter((dropletId) => dropletId !== id);
    }
    this.unassignResource(dropletUrn(id));
  }

  recordHistory(event: HistoryEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
  }

  newActionId(): number {
    return this.ids.action++;
  }

  newUuid(): string {
    const counter = this.ids.uuid++;
    return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
  }

  addAction(action: ActionRecord): void {
    this.actions.set(action.id, action);
    this.actionList.push(action);
    this.ids.action = Math.max(this.ids.action, action.id + 1);
    if (action.resourceType !== 'droplet') return;
    let forDroplet = this.actionsByDroplet.get(action.dropletId);
    if (!forDroplet) {
      forDroplet = [];
      this.actionsByDroplet.set(action.dropletId, forDroplet);
    }
    forDroplet.push(action);
  }

  addSnapshot(snapshot: Omit<SnapshotRecord, 'id'> & { id?: number }): SnapshotRecord {
    const record = { ...snapshot, id: snapshot.id ?? this.ids.snapshot };
    this.ids.snapshot = Math.max(this.ids.snapshot, record.id + 1);
    this.snapshots.set(record.id, record);
    const droplet = this.droplets.get(record.dropletId);
    if (droplet && !droplet.snapshotIds.includes(record.id)) droplet.snapshotIds.push(record.id);
    return record;
  }

  deleteSnapshot(id: number): boolean {
    const snapshot = this.snapshots.get(id);
    if (!snapshot) return false;
    this.snapshots.delete(id);
    const droplet = this.droplets.get(snapshot.dropletId);
    if (droplet) droplet.snapshotIds = droplet.snapshotIds.filter((snapshotId) => snapshotId !== id);
    return true;
  }

  /** Adds a backup of a droplet, dropping its oldest beyond `keep` as DigitalOcean's retention does. */
  addBackup(backup: Omit<BackupRecord, 'id'> & { id?: number }, keep = Infinity): BackupRecord {
    const record = { ...backup, id: backup.id ?? this.ids.backup };
    this.ids.backup = Math.max(this.ids.backup, record.id + 1);
    this.backups.set(record.id, record);
    const droplet = this.droplets.get(record.dropletId);
    if (droplet) {
      if (!droplet.backupIds.includes(record.id)) droplet.backupIds.push(record.id);
      while (droplet.backupIds.length > keep) this.backups.delete(droplet.backupIds.shift()!);
    }
    return record;
  }

  /** Puts a resource in a project, taking it out of the one that held it. */
  assignResource(projectId: string, urn: string, now: number): void {
    this.unassignResource(urn);
    this.projects.get(projectId)?.resources.push({ urn, assignedAt: now });
    this.projectByUrn.set(urn, projectId);
  }

  defaultProject(): ProjectRecord | undefined {
    for (const project of this.projects.values()) if (project.isDefault) return project;
    return undefined;
  }

  private unassignResource(urn: string): void {
    const holder = this.projectByUrn.get(urn);
    if (holder === undefined) return;
    this.projectByUrn.delete(urn);
    const project = this.projects.get(holder);
    if (project) project.resources = project.resources.filter((resource) => resource.urn !== urn);
  }
}
