import { RateLimitedError } from '../../lambdas/core/errors';
import type { DropletApi } from '../../lambdas/core/ports/droplet-api';

/**
 * One cheap read (`GET /v2/droplets?per_page=1`) that proves the API answers and takes the token,
 * so that a long-running command fails at start, in seconds, rather than at its first tick.
 *
 * A 429 passes: DigitalOcean answered and counted the request against the token's own budget, which
 * it does only for a token it knows. A scheduler restarted while another process spends that budget
 * waits its turn like any other request, instead of exiting.
 */
export async function probeDigitalOcean(api: Pick<DropletApi, 'listDroplets'>): Promise<void> {
  const pages = api.listDroplets({ perPage: 1 })[Symbol.asyncIterator]();
  try {
    await pages.next();
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
  } finally {
    await pages.return?.();
  }
}
