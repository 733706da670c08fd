import { DigitalOceanClient } from '../../../lambdas/adapters/digitalocean/digitalocean-client';
import { UnauthorizedError } from '../../../lambdas/core/errors';
import { probeDigitalOcean } from '../../../cli/api/probe-digitalocean';
import { startSimulator, type SimulatorHandle } from '../../../simulator';

describe('probeDigitalOcean, against the simulator over HTTP', () => {
  let simulator: SimulatorHandle;
  afterEach(() => simulator?.close());

  const client = (token: string) =>
    new DigitalOceanClient({
      token,
      baseUrl: simulator.url,
      retry: { limit: 0, baseDelayMs: 1, maxDelayMs: 1 },
    });

  test('given a token whose rate budget another process has spent, then the probe passes: DigitalOcean answered and knows the token', async () => {
    simulator = await startSimulator({ droplets: 1, rateLimit: { perMinute: 1, perHour: 5000 } });
    const api = client(simulator.token);
    await probeDigitalOcean(api);

    await expect(probeDigitalOcean(api)).resolves.toBeUndefined();
    expect(simulator.state().rateLimited).toBe(1);
  });

  test('given a token DigitalOcean refuses, then the probe fails with the refusal', async () => {
    simulator = await startSimulator({ droplets: 1 });

    await expect(probeDigitalOcean(client(`wrong-${Date.now()}`))).rejects.toBeInstanceOf(UnauthorizedError);
  });
});
