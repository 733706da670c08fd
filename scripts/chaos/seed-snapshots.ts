import { setTimeout as sleep } from 'node:timers/promises';
import type { SimulatorProcess } from './simulator-process';

/** Longest the seeding may take, snapshots included. */
const SEED_TIMEOUT_MS = 90_000;

export interface SeededSnapshots {
  /** The actions the seeding started: they belong to no policy. */
  readonly actionIds: Set<number>;
  /** Names per droplet, in the order taken. */
  readonly names: Map<number, string[]>;
}

/**
 * Snapshots with chosen names, taken through the API before the schedulers start, one droplet
 * action at a time (DigitalOcean runs one per droplet): own snapshots of an earlier day, so that
 * retention has something to delete, and foreign ones it must never touch, among them one whose
 * name starts like another droplet's own prefix (`snap-keep--<id>0-`).
 */
export async function seedSnapshots(
  simulator: SimulatorProcess,
  token: string,
  namesFor: (dropletId: number) => string[],
  dropletIds: readonly number[],
): Promise<SeededSnapshots> {
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  const actionIds = new Set<number>();
  const names = new Map<number, string[]>();
  const actions = sharedActionView(simulator);
  await Promise.all(
    dropletIds.map(async (dropletId) => {
      for (const name of namesFor(dropletId)) {
        const id = await postSnapshot(simulator.url, token, dropletId, name, deadline);
        actionIds.add(id);
        names.set(dropletId, [...(names.get(dropletId) ?? []), name]);
        await waitForAction(actions, id, deadline);
      }
    }),
  );
  return { actionIds, names };
}

async function postSnapshot(
  url: string,
  token: string,
  dropletId: number,
  name: string,
  deadline: number,
): Promise<number> {
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/v2/droplets/${dropletId}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'snapshot', name }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 201) return ((await response.json()) as { action: { id: number } }).action.id;
    if (response.status === 429) {
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    throw new Error(
      `seeding snapshot "${name}" on droplet ${dropletId}: HTTP ${response.status} ${await response.text()}`,
    );
  }
  throw new Error(`seeding snapshot "${name}" on droplet ${dropletId}: out of time`);
}

type ActionView = () => Promise<Map<number, string>>;

/** Action statuses from one shared look at the simulator a second, however many droplets wait. */
function sharedActionView(simulator: SimulatorProcess): ActionView {
  let latest: { at: number; view: Promise<Map<number, string>> } | undefined;
  return () => {
    if (!latest || Date.now() - latest.at > 1_000) {
      latest = {
        at: Date.now(),
        view: simulator
          .state()
          .then((state) => new Map(state.actions.map((action) => [action.id, action.status]))),
      };
    }
    return latest.view;
  };
}

async function waitForAction(actions: ActionView, actionId: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const status = (await actions()).get(actionId);
    const action = status === undefined ? undefined : { status };
    if (action?.status === 'completed') return;
    if (action?.status === 'errored') throw new Error(`seeding action ${actionId} errored`);
    await sleep(1_000);
  }
  throw new Error(`seeding action ${actionId}: not completed in time`);
}
