import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import type { RetryEvent } from '../../../../lambdas/adapters/digitalocean/digitalocean-client-options';
import { RateLimiter, digitalOceanWindows } from '../../../../lambdas/adapters/digitalocean/rate-limiter';
import { RateLimitedError } from '../../../../lambdas/core/errors';
import { startSimulator, type SimulatorHandle } from '../../../../simulator';

/**
 * The simulator's "minute" lasts 60 / 10 = 6 real seconds, its "hour" 6 real minutes. Shorter
 * windows ask more requests a second of the machine to fill them: on a 2-second minute a busy CI
 * machine left the two clients' budget uncontested, and the contention test found no 429 at all.
 */
const WINDOW_SCALE = 10;

/** Sends `count` reads through `client`, `concurrency` at a time; resolves when all are answered. */
async function readMany(
  client: DigitalOceanClient,
  dropletIds: number[],
  count: number,
  concurrency: number,
) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await client.getDroplet(dropletIds[index % dropletIds.length] ?? 0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('DigitalOceanClient against the simulator: rate limits', () => {
  let simulator: SimulatorHandle;
  let dropletIds: number[];

  beforeEach(async () => {
    simulator = await startSimulator({
      droplets: 5,
      clock: 'manual',
      rateLimit: { perMinute: 250, perHour: 5000, windowScale: WINDOW_SCALE },
    });
    dropletIds = simulator.state().droplets.map((droplet) => droplet.id);
  });
  afterEach(() => simulator.close());

  function clientWith(rateLimiter: RateLimiter, onRetry?: (event: RetryEvent) => void): DigitalOceanClient {
    return new DigitalOceanClient({
      token: simulator.token,
      baseUrl: simulator.url,
      rateLimiter,
      retry: { limit: 8, baseDelayMs: 20, maxDelayMs: 200 },
      onRetry,
    });
  }

  it('given one client at 250 a minute, when it sends 300 requests, then none is refused and they are spread', async () => {
    // Prepare
    const limiter = new RateLimiter({ windows: digitalOceanWindows(WINDOW_SCALE) });
    const client = clientWith(limiter);
    const started = Date.now();
    // Act
    await readMany(client, dropletIds, 300, 6);
    const elapsed = Date.now() - started;
    // Assess
    expect(simulator.state().rateLimited).toBe(0);
    expect(client.requestCount).toBe(300);
    // Spread at the limit's pace rather than 250 at once: at least 299 intervals of 24.2 ms. A busy
    // machine can only make it slower; how close it keeps to the pace is client.pacing_ratio in the bench.
    expect(elapsed).toBeGreaterThanOrEqual(299 * limiter.intervalMs - 5);
  });

  it('given a second client spending half the budget, then the first honours retry-after and completes every request', async () => {
    // Prepare: the other client has its own limiter (another process, in effect) and takes 125 a minute.
    const retries: RetryEvent[] = [];
    const first = clientWith(new RateLimiter({ windows: digitalOceanWindows(WINDOW_SCALE) }), (event) =>
      retries.push(event),
    );
    const other = clientWith(new RateLimiter({ windows: [{ limit: 125, lengthMs: 60_000 / WINDOW_SCALE }] }));
    let firstDone = false;
    const otherRun = (async () => {
      for (let index = 0; index < 1_500 && !firstDone; index++) {
        await other.getDroplet(dropletIds[index % dropletIds.length] ?? 0);
      }
    })();
    // Act
    const firstRun = readMany(first, dropletIds, 400, 4).finally(() => {
      firstDone = true;
    });
    await Promise.all([firstRun, otherRun]);
    // Assess
    const firstSucceeded = first.requestCount - retries.length;
    expect(firstSucceeded).toBe(400);
    // The budget really was contested: the other client, blind to our usage, was refused by
    // DigitalOcean. (How many it got through depends on the machine's speed, so it is not counted.)
    expect(other.requestCount).toBeGreaterThan(0);
    expect(simulator.state().rateLimited).toBeGreaterThan(0);
    const rateLimited = retries.filter((event) => event.error instanceof RateLimitedError);
    for (const event of rateLimited) {
      const retryAfterSeconds = (event.error as RateLimitedError).retryAfterSeconds;
      expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(event.delayMs).toBe((retryAfterSeconds ?? 0) * 1000);
    }
    expect(retries.length).toBe(rateLimited.length);
    // Seeing the other client in the headers, the first one is refused rarely, not once per request.
    expect(rateLimited.length).toBeLessThanOrEqual(20);
  });
});
