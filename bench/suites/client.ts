import { DigitalOceanClient } from '../../lambdas/adapters/digitalocean/digitalocean-client';
import { RateLimiter, digitalOceanWindows } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import type { BenchSuite } from '../figure';

/** The simulator's "minute" lasts 60 / 15 = 4 real seconds, so 1,000 requests take about 16 s. */
const WINDOW_SCALE = 15;
const PACED_REQUESTS = 1_000;
const UNLIMITED_REQUESTS = 2_000;
/** Several requests in flight, as the initiate step has; the limiter must pace them all. */
const CONCURRENCY = 4;

/**
 * The DigitalOcean client and its rate limiter against the simulator, over real HTTP.
 *
 * - `client.pacing_ratio`: wall time of 1,000 paced reads against a simulator limited to 250 a
 *   (time-scaled) minute, divided by the minimum at that sustained rate, 1,000 × minute / 250.
 *   A burst-first schedule could finish sooner (250 at once, then a stall) but is exactly what the
 *   limiter avoids; the ratio measures how close smooth pacing gets to the limit.
 * - `client.rate_limited_responses`: 429s the simulator sent during that run.
 * - `client.requests_per_second`: the client's own throughput with the limits off.
 */
export const clientSuite: BenchSuite = async (record) => {
  const paced = await startSimulator({
    droplets: 20,
    clock: 'manual',
    rateLimit: { perMinute: 250, perHour: 5000, windowScale: WINDOW_SCALE },
  });
  try {
    const windows = digitalOceanWindows(WINDOW_SCALE);
    const client = clientFor(paced, new RateLimiter({ windows }));
    const elapsedMs = await timeReads(client, paced, PACED_REQUESTS);
    const minuteMs = windows[0]?.lengthMs ?? 60_000;
    const theoreticalMs = (PACED_REQUESTS * minuteMs) / 250;
    record({
      name: 'client.pacing_ratio',
      value: elapsedMs / theoreticalMs,
      unit: 'ratio',
      goal: { max: 1.05 },
    });
    record({
      name: 'client.rate_limited_responses',
      value: paced.state().rateLimited,
      unit: 'responses',
      goal: { max: 0 },
    });
  } finally {
    await paced.close();
  }

  const unlimited = await startSimulator({ droplets: 20, clock: 'manual', rateLimit: false });
  try {
    const limiter = new RateLimiter({ windows: [{ limit: 1_000_000, lengthMs: 1_000 }], safetyMargin: 0 });
    const elapsedMs = await timeReads(clientFor(unlimited, limiter), unlimited, UNLIMITED_REQUESTS);
    record({
      name: 'client.requests_per_second',
      value: UNLIMITED_REQUESTS / (elapsedMs / 1000),
      unit: 'requests/s',
    });
  } finally {
    await unlimited.close();
  }
};

function clientFor(simulator: SimulatorHandle, rateLimiter: RateLimiter): DigitalOceanClient {
  return new DigitalOceanClient({ token: simulator.token, baseUrl: simulator.url, rateLimiter });
}

/** Reads droplets `count` times, CONCURRENCY at a time; returns the wall time in milliseconds. */
async function timeReads(
  client: DigitalOceanClient,
  simulator: SimulatorHandle,
  count: number,
): Promise<number> {
  const ids = simulator.state().droplets.map((droplet) => droplet.id);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const index = next++;
        await client.getDroplet(ids[index % ids.length] ?? 0);
      }
    }),
  );
  return performance.now() - started;
}
