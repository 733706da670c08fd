import type {
  ActionRecord,
  BackupRecord,
  DropletRecord,
  FirewallRecord,
  ProjectRecord,
  ReservedIpRecord,
  SnapshotRecord,
  VolumeRecord,
} from '../model';
import { actionListOrder, type ActionListOrder } from '../options';
import { SimulatorStore, type IdCounters } from '../store';

/** Bumped when the shape changes incompatibly; an older or newer file is treated as unreadable. */
const VERSION = 1;

/** The whole account as JSON: what a state file holds. */
export interface SavedState {
  readonly version: typeof VERSION;
  /** ISO 8601, for people reading the file. */
  readonly savedAt: string;
  readonly ids: IdCounters;
  readonly actionListOrder: ActionListOrder;
  readonly droplets: DropletRecord[];
  /** Oldest first; a stuck action's `dueAt` is null (JSON has no Infinity). */
  readonly actions: Array<Omit<ActionRecord, 'dueAt'> & { dueAt: number | null }>;
  readonly snapshots: SnapshotRecord[];
  readonly backups: BackupRecord[];
  readonly reservedIps: ReservedIpRecord[];
  readonly volumes: VolumeRecord[];
  readonly firewalls: FirewallRecord[];
  readonly projects: ProjectRecord[];
  /** Only what can change: which regions offer a size, and whether it is offered at all. */
  readonly sizes: Array<{ slug: string; regions: string[]; available: boolean }>;
  /** The tags and droplet ids start seeds have covered (see `SimulatorStore.seeded`). */
  readonly seeded: { tags: string[]; dropletIds: number[] };
}

export function saveState(store: SimulatorStore, order: ActionListOrder, now: number): SavedState {
  return {
    version: VERSION,
    savedAt: new Date(now).toISOString(),
    ids: { ...store.ids },
    actionListOrder: order,
    droplets: store.dropletList,
    actions: store.actionList.map((action) =>
      Number.isFinite(action.dueAt) ? action : { ...action, dueAt: null },
    ),
    snapshots: [...store.snapshots.values()],
    backups: [...store.backups.values()],
    reservedIps: [...store.reservedIps.values()],
    volumes: [...store.volumes.values()],
    firewalls: [...store.firewalls.values()],
    projects: [...store.projects.values()],
    sizes: [...store.sizes.values()].map(({ slug, regions, available }) => ({ slug, regions, available })),
    seeded: { tags: [...store.seeded.tags], dropletIds: [...store.seeded.dropletIds] },
  };
}

/** Why a parsed file cannot be used, or undefined when it looks whole. */
function problem(state: Partial<SavedState>): string | undefined {
  if (state.version !== VERSION) return `expected version ${VERSION}, got: ${JSON.stringify(state.version)}`;
  const lists = [
    'droplets',
    'actions',
    'snapshots',
    'backups',
    'reservedIps',
    'volumes',
    'firewalls',
    'projects',
    'sizes',
  ] as const;
  for (const key of lists) {
    if (!Array.isArray(state[key]))
      return `${key}: expected a list, got: ${JSON.stringify(state[key]) ?? 'nothing'}`;
  }
  const ids = state.ids as Partial<IdCounters> | undefined;
  for (const key of ['action', 'snapshot', 'backup', 'droplet', 'dropletIndex', 'uuid'] as const) {
    if (!Number.isSafeInteger(ids?.[key]))
      return `ids.${key}: expected an integer, got: ${JSON.stringify(ids?.[key]) ?? 'nothing'}`;
  }
  return undefined;
}

/** The account a saved state describes; throws an `Error` naming what is wrong with it. */
export function loadState(text: string): { store: SimulatorStore; actionListOrder: ActionListOrder } {
  const state = JSON.parse(text) as Partial<SavedState>;
  if (typeof state !== 'object' || state === null) throw new Error('expected a JSON object');
  const wrong = problem(state);
  if (wrong) throw new Error(wrong);
  const saved = state as SavedState;
  const store = new SimulatorStore(saved.droplets, saved.ids);
  for (const action of saved.actions) store.addAction({ ...action, dueAt: action.dueAt ?? Infinity });
  for (const snapshot of saved.snapshots) store.snapshots.set(snapshot.id, snapshot);
  for (const backup of saved.backups) store.backups.set(backup.id, backup);
  for (const ip of saved.reservedIps) store.reservedIps.set(ip.ip, ip);
  for (const volume of saved.volumes) store.volumes.set(volume.id, volume);
  for (const firewall of saved.firewalls) store.firewalls.set(firewall.id, firewall);
  for (const project of saved.projects) {
    store.projects.set(project.id, project);
    for (const resource of project.resources) store.projectByUrn.set(resource.urn, project.id);
  }
  for (const size of saved.sizes) {
    const known = store.sizes.get(size.slug);
    if (known) Object.assign(known, { regions: size.regions, available: size.available });
  }
  for (const tag of saved.seeded?.tags ?? []) store.seeded.tags.add(tag);
  for (const id of saved.seeded?.dropletIds ?? []) store.seeded.dropletIds.add(id);
  // Counters only grow: an id taken by a record is never handed out again.
  Object.assign(store.ids, saved.ids);
  return { store, actionListOrder: actionListOrder(saved.actionListOrder) };
}
