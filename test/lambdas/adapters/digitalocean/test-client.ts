import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import type { DigitalOceanClientOptions } from '../../../../lambdas/adapters/digitalocean/digitalocean-client-options';
import { RateLimiter } from '../../../../lambdas/adapters/digitalocean/rate-limiter';
import { canaryToken } from './fixtures';

/** A limiter loose enough that it never delays a unit test. */
export function looseLimiter(): RateLimiter {
  return new RateLimiter({ windows: [{ limit: 10_000, lengthMs: 1_000 }], safetyMargin: 0 });
}

/** A client for a scripted server: its own loose limiter, no real backoff waits unless the test asks. */
export function testClient(
  baseUrl: string,
  options: Partial<DigitalOceanClientOptions> = {},
): DigitalOceanClient {
  return new DigitalOceanClient({
    token: canaryToken(),
    baseUrl,
    rateLimiter: looseLimiter(),
    retry: { limit: 0, baseDelayMs: 1, maxDelayMs: 1 },
    timeoutMs: 5_000,
    ...options,
  });
}
