import { DEFAULT_STORE_DIR, DIGITALOCEAN_API_URL, type StoreFlags } from '../options/common-options';
import { shellCommand } from './shell-command';

/**
 * `droplet-scheduler reconcile --until-settled` with the flags the command at hand used for its
 * store, its API and its time scale, so that the hint finds the same actions when pasted: without
 * `--store` it would read another ledger, and without `--time-scale` wait in real time.
 */
export function reconcileHint(flags: StoreFlags & { readonly timeScale?: string }, apiUrl: string): string {
  const words = ['droplet-scheduler', 'reconcile', '--until-settled'];
  if (flags.table !== undefined) {
    words.push('--table', flags.table);
    if (flags.region !== undefined) words.push('--region', flags.region);
    if (flags.endpoint !== undefined) words.push('--endpoint', flags.endpoint);
  }
  // With --table the store still holds this machine's queue journal.
  if (flags.store !== DEFAULT_STORE_DIR) words.push('--store', flags.store);
  // The URL is repeated even when it came from DIGITALOCEAN_API_URL: it may have been set for
  // one command only (`DIGITALOCEAN_API_URL=... droplet-scheduler run ...`).
  if (apiUrl !== DIGITALOCEAN_API_URL) words.push('--api-url', apiUrl);
  if (flags.timeScale !== undefined) words.push('--time-scale', flags.timeScale);
  return shellCommand(words);
}
