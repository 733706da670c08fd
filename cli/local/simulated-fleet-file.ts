import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DropletSeed, SimulatorHandle } from '../../simulator';

/** Beside the simulated store's ledger: the simulated account as the last run left it. */
const FILE_NAME = 'simulated-fleet.json';

/**
 * Where `local --simulate` keeps its simulated account: give it to the simulator as `stateFile`,
 * and the account (droplets, actions, snapshots, ids) survives any stop, a kill included.
 */
export function simulatedFleetFile(storeDir: string): string {
  return path.join(storeDir, FILE_NAME);
}

/** A saved droplet, in either the simulator's state format or the older seed list. */
interface SavedDroplet {
  readonly id: number;
  readonly name?: string;
  readonly status?: string;
  readonly sizeSlug?: string;
  readonly disk?: number;
  readonly usedDiskGb?: number;
  readonly tags?: readonly string[];
  readonly region?: string;
  readonly regionSlug?: string;
  readonly backups?: boolean;
  readonly ipv6?: boolean;
  readonly monitoring?: boolean;
}

function seedOf(droplet: SavedDroplet): DropletSeed {
  return {
    id: droplet.id,
    name: droplet.name,
    // A droplet still being created is seeded as running: it will be by the time anyone looks.
    status: droplet.status === 'off' ? 'off' : 'active',
    sizeSlug: droplet.sizeSlug,
    disk: droplet.disk,
    usedDiskGb: droplet.usedDiskGb,
    tags: droplet.tags,
    region: droplet.region ?? droplet.regionSlug,
    backups: droplet.backups,
    ipv6: droplet.ipv6,
    monitoring: droplet.monitoring,
  };
}

/**
 * The simulated droplets as the last run left them (power state, tags, sizes), or undefined when
 * there is no such file or it cannot be read (a damaged file: start from the policies' fleet). The
 * simulator itself lives only as long as the process; keeping its droplets lets a restart meet the
 * world the ledger remembers: staging that `weekend-off` turned off is still off, so `monday-on`
 * has something to do.
 */
export async function readSimulatedFleet(storeDir: string): Promise<DropletSeed[] | undefined> {
  let text: string;
  try {
    text = await readFile(simulatedFleetFile(storeDir), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { droplets?: unknown };
    return Array.isArray(parsed.droplets) ? (parsed.droplets as SavedDroplet[]).map(seedOf) : undefined;
  } catch {
    return undefined;
  }
}

/** Saves the whole simulated account, settled to now, in the format the simulator's `stateFile` reads. */
export async function writeSimulatedFleet(storeDir: string, simulator: SimulatorHandle): Promise<void> {
  simulator.saveTo(simulatedFleetFile(storeDir));
}

/**
 * The saved droplets, plus the policies' fleet for every tag and droplet id the saved ones do not
 * cover (a policy added since), so that every policy finds its droplets.
 */
export function mergeFleets(
  saved: readonly DropletSeed[],
  fromPolicies: readonly DropletSeed[],
): DropletSeed[] {
  const tags = new Set(saved.flatMap((seed) => seed.tags ?? []));
  const ids = new Set(saved.map((seed) => seed.id));
  const missing = fromPolicies.filter((seed) =>
    seed.id !== undefined ? !ids.has(seed.id) : !(seed.tags ?? []).some((tag) => tags.has(tag)),
  );
  // Saved droplets keep their ids; new ones without an id are numbered after them.
  return [
    ...saved,
    ...missing.filter((seed) => seed.id !== undefined),
    ...missing.filter((seed) => seed.id === undefined),
  ];
}
