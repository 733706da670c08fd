import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DropletSeed, SimulatorHandle } from '../../simulator';

/** Beside the simulated store's ledger: the droplets as the last run left them. */
const FILE_NAME = 'simulated-fleet.json';

/**
 * The simulated droplets as the last run left them (power state, tags, sizes), or undefined when
 * there is no such file. The simulator itself lives only as long as the process; keeping its
 * droplets lets a restart meet the world the ledger remembers: staging that `weekend-off` turned
 * off is still off, so `monday-on` has something to do.
 */
export async function readSimulatedFleet(storeDir: string): Promise<DropletSeed[] | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(storeDir, FILE_NAME), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as { droplets?: unknown };
    return Array.isArray(parsed.droplets) ? (parsed.droplets as DropletSeed[]) : undefined;
  } catch {
    // A torn write (the process killed mid-write): start from the policies' fleet instead.
    return undefined;
  }
}

/** Saves the simulator's droplets, settled to now, as seeds for the next start. */
export async function writeSimulatedFleet(storeDir: string, simulator: SimulatorHandle): Promise<void> {
  const droplets: DropletSeed[] = simulator.state().droplets.map((droplet) => ({
    id: droplet.id,
    name: droplet.name,
    // A droplet still being created is saved as running: it will be by the time anyone looks.
    status: droplet.status === 'off' ? 'off' : 'active',
    sizeSlug: droplet.sizeSlug,
    disk: droplet.disk,
    usedDiskGb: droplet.usedDiskGb,
    tags: droplet.tags,
    region: droplet.regionSlug,
    backups: droplet.backups,
    ipv6: droplet.ipv6,
  }));
  await mkdir(storeDir, { recursive: true });
  await writeFile(path.join(storeDir, FILE_NAME), `${JSON.stringify({ droplets }, null, 2)}\n`);
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
