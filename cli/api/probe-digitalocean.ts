import type { DropletApi } from '../../lambdas/core/ports/droplet-api';

/**
 * One cheap read (`GET /v2/droplets?per_page=1`) that proves the API answers and takes the token,
 * so that a long-running command fails at start, in seconds, rather than at its first tick.
 */
export async function probeDigitalOcean(api: Pick<DropletApi, 'listDroplets'>): Promise<void> {
  const pages = api.listDroplets({ perPage: 1 })[Symbol.asyncIterator]();
  try {
    await pages.next();
  } finally {
    await pages.return?.();
  }
}
