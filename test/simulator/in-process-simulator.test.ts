import { DigitalOceanClient } from '../../lambdas/adapters/digitalocean/digitalocean-client';
import { RateLimiter } from '../../lambdas/adapters/digitalocean/rate-limiter';
import { NetworkError } from '../../lambdas/core/errors';
import { DiscreteEventClock } from '../../bench/support/discrete-event-clock';
import { createInProcessSimulator } from '../../simulator';

const START = Date.parse('2026-11-27T02:00:00.000Z');

function world(options: Parameters<typeof createInProcessSimulator>[0]) {
  const simulator = createInProcessSimulator(options);
  const client = new DigitalOceanClient({
    token: simulator.token,
    baseUrl: simulator.url,
    fetch: simulator.fetch,
    clock: options.time,
    rateLimiter: new RateLimiter({ clock: options.time }),
    retry: { limit: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
  return { simulator, client };
}

describe('the simulator in process, on an injected clock', () => {
  it('given a snapshot started through the client, when simulated time passes, then it completes on that clock', async () => {
    // Prepare
    const clock = new DiscreteEventClock(START);
    const { simulator, client } = world({
      time: clock,
      droplets: 0,
      seedDroplets: [{ disk: 25, usedDiskGb: 10 }],
    });
    const dropletId = simulator.state().droplets[0]!.id;

    // Act
    const { result } = await clock.run(async () => {
      const started = await client.initiate(dropletId, { type: 'snapshot', name: 'nightly' });
      await clock.sleep(3 * 3_600_000);
      return { started, later: await client.getAction(started.id) };
    });

    // Assess
    expect(result.started.status).toBe('in-progress');
    // Half the 100 ms round trip in, shown at DigitalOcean's precision of a second.
    expect(result.started.startedAt).toBe('2026-11-27T02:00:00Z');
    expect(result.later.status).toBe('completed');
    expect(Date.parse(result.later.completedAt!)).toBeLessThanOrEqual(START + 3 * 3_600_000);
  });

  it('given the rate limit windows on the injected clock, when the client sends 300 reads, then it paces them and gets no 429', async () => {
    const clock = new DiscreteEventClock(START);
    const { simulator, client } = world({ time: clock, droplets: 1 });
    const dropletId = simulator.state().droplets[0]!.id;

    const run = await clock.run(async () => {
      for (let index = 0; index < 300; index += 1) await client.getDroplet(dropletId);
    });

    expect(simulator.state().rateLimited).toBe(0);
    // The 251st request cannot go before the minute's first one expires.
    expect(run.elapsedMs).toBeGreaterThan(60_000);
  });

  it('given a droplet whose answers are lost, when the client posts an action, then the action exists and the client cannot tell', async () => {
    const clock = new DiscreteEventClock(START);
    const { simulator, client } = world({ time: clock, droplets: 1 });
    const dropletId = simulator.state().droplets[0]!.id;
    simulator.setFaults({ dropAnswerDropletIds: [dropletId] });

    const outcome = clock.run(() => client.initiate(dropletId, { type: 'reboot' }));

    await expect(outcome).rejects.toBeInstanceOf(NetworkError);
    await expect(outcome).rejects.toMatchObject({ outcomeUnknown: true });
    expect(simulator.state().actions).toHaveLength(1);
  });

  it('given a wrong token, when the client reads, then it gets the same 401 as over HTTP', async () => {
    const clock = new DiscreteEventClock(START);
    const simulator = createInProcessSimulator({ time: clock, droplets: 1 });
    const client = new DigitalOceanClient({
      token: `dop_v1_${'0'.repeat(64)}`,
      baseUrl: simulator.url,
      fetch: simulator.fetch,
      clock,
      rateLimiter: new RateLimiter({ clock }),
    });

    await expect(clock.run(() => client.getDroplet(1))).rejects.toMatchObject({ name: 'UnauthorizedError' });
  });
});
