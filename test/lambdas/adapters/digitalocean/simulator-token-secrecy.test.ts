import { inspect } from 'node:util';
import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import { RateLimiterRegistry } from '../../../../lambdas/adapters/digitalocean/rate-limiter-registry';
import { DigitalOceanError, RateLimitedError } from '../../../../lambdas/core/errors';
import { startSimulator, type SimulatorHandle } from '../../../../simulator';
import { canaryToken } from './fixtures';

describe('DigitalOceanClient against the simulator: the token', () => {
  const token = canaryToken();
  const wrongToken = canaryToken();
  let simulator: SimulatorHandle;
  const output: string[] = [];
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    simulator = await startSimulator({
      token,
      droplets: 3,
      clock: 'manual',
      rateLimit: { perMinute: 5, perHour: 1000 },
    });
    const capture = (...args: unknown[]) => {
      output.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 10 }))).join(' '));
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(jest.spyOn(console, method).mockImplementation(capture));
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
          output.push(String(chunk));
          return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
        }) as typeof stream.write),
      );
    }
  });
  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await simulator.close();
  });

  it('appears in no error, log line or output, whatever goes wrong', async () => {
    // Prepare: every failure the client can meet, each logged the way a caller would.
    const registry = new RateLimiterRegistry();
    const client = new DigitalOceanClient({
      token,
      baseUrl: simulator.url,
      rateLimiter: registry.forToken(token, { windows: [{ limit: 1000, lengthMs: 1000 }] }),
      retry: { limit: 0 },
    });
    const stranger = new DigitalOceanClient({
      token: wrongToken,
      baseUrl: simulator.url,
      retry: { limit: 0 },
    });
    const dropletId = simulator.state().droplets[0]?.id ?? 0;
    const attempts: (() => Promise<unknown>)[] = [
      () => stranger.getAction(1),
      () => client.getAction(999_999),
      () => client.initiate(dropletId, { type: 'resize' } as never),
      () => client.initiate(dropletId, { type: 'power_on' }),
      () => (simulator.setFaults({ serverErrorRate: 1 }), client.initiate(dropletId, { type: 'power_off' })),
      () => (
        simulator.setFaults({ serverErrorRate: 0, dropAfterProcessRate: 1 }),
        client.initiate(dropletId, { type: 'reboot' })
      ),
      async () => {
        simulator.setFaults({ dropAfterProcessRate: 0 });
        for (let index = 0; index < 10; index++) {
          await client.getAction(1).catch((error: unknown) => {
            if (error instanceof RateLimitedError) throw error;
          });
        }
      },
    ];
    // Act
    const errors: unknown[] = [];
    for (const attempt of attempts) {
      try {
        await attempt();
      } catch (error) {
        errors.push(error);
        console.error('request failed:', error);
        console.log(JSON.stringify({ level: 'error', error }));
      }
    }
    console.log(inspect(client), inspect(registry));
    // Assess
    expect(errors.map((error) => (error as DigitalOceanError).code)).toEqual([
      'unauthorized',
      'not_found',
      'unprocessable',
      'unprocessable',
      'server_error',
      'network_error',
      'rate_limited',
    ]);
    const everything = [
      ...output,
      ...errors.flatMap((error) => [
        String((error as Error).stack),
        JSON.stringify(error),
        inspect(error, { showHidden: true, depth: 10 }),
      ]),
    ].join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of [token, wrongToken, token.slice(7), wrongToken.slice(7)]) {
      expect(everything).not.toContain(secret);
    }
  });
});
