import type { ActionRecord, DropletRecord, SnapshotRecord } from './model';

/** First ids, of the order DigitalOcean's real ids have, and far apart so that no two kinds collide. */
export const FIRST_ACTION_ID = 2_100_000_001;
export const FIRST_SNAPSHOT_ID = 180_000_001;

function insertById<T extends { id: number }>(list: T[], item: T): void {
  if (list.length === 0 || list[list.length - 1]!.id < item.id) {
    list.push(item);
    return;
  }
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.id < item.id) low = middle + 1;
    else high = middle;
  }
  list.splice(low, 0, item);
}

/**
 * Everything the simulated account holds, with the indexes the routes need so that no request
 * scans all droplets or all actions: droplets by id and by tag (in id order), actions by id, in
 * creation order and per droplet, snapshots by id.
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
  private nextActionId = FIRST_ACTION_ID;
  private nextSnapshotId = FIRST_SNAPSHOT_ID;

  constructor(fleet: readonly DropletRecord[]) {
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
  }

  newActionId(): number {
    return this.nextActionId++;
  }

  addAction(action: ActionRecord): void {
    this.actions.set(action.id, action);
    this.actionList.push(action);
    let forDroplet = this.actionsByDroplet.get(action.dropletId);
    if (!forDroplet) {
      forDroplet = [];
      this.actionsByDroplet.set(action.dropletId, forDroplet);
    }
    forDroplet.push(action);
  }

  addSnapshot(snapshot: Omit<SnapshotRecord, 'id'>): SnapshotRecord {
    const record = { ...snapshot, id: this.nextSnapshotId++ };
    this.snapshots.set(record.id, record);
    this.droplets.get(record.dropletId)?.snapshotIds.push(record.id);
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
}
