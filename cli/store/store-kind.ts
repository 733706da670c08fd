import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Written into a store by `local --simulate`: its ledger holds simulated actions only. The file
 * name says so to whoever lists the directory.
 */
const SIMULATED_MARKER = 'SIMULATED-LEDGER.txt';

/** A store that an earlier `local --simulate` left before the marker existed has this file. */
const SIMULATED_FLEET_FILE = 'simulated-fleet.json';

/** What a store directory holds: a simulated ledger, a real one, or no ledger yet. */
export type StoreKind = 'simulated' | 'real' | 'none';

export function storeKind(storeDir: string): StoreKind {
  if (!existsSync(path.join(storeDir, 'ledger'))) return 'none';
  return existsSync(path.join(storeDir, SIMULATED_MARKER)) ||
    existsSync(path.join(storeDir, SIMULATED_FLEET_FILE))
    ? 'simulated'
    : 'real';
}

/** Marks a store as simulated, so that audit, local and people can tell it from a real one. */
export async function markSimulatedStore(storeDir: string): Promise<void> {
  await writeFile(
    path.join(storeDir, SIMULATED_MARKER),
    'This store holds the ledger of `droplet-scheduler local --simulate` (and `npm start`): actions on\n' +
      'simulated droplets only, never on a DigitalOcean account. Read it with\n' +
      '  droplet-scheduler audit --store <this directory>\n',
  );
}

/**
 * The store a user may have meant: the simulated one inside the default store, or the store
 * around a simulated one (`.droplet-scheduler` and `.droplet-scheduler/simulated`).
 */
export function siblingStore(storeDir: string): string {
  return path.basename(storeDir) === 'simulated' ? path.dirname(storeDir) : path.join(storeDir, 'simulated');
}

/** How a store is named in output: relative to the working directory when inside it. */
export function displayStore(storeDir: string, cwd: string): string {
  const relative = path.relative(cwd, storeDir);
  return relative === '' ? '.' : relative.startsWith('..') ? storeDir : relative;
}
