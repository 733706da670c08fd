import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator at scale', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeAll(async () => {
    ({ simulator, api } = await startTestSimulator({
      droplets: 10_000,
      tags: { fleet: 10_000 },
      rateLimit: false,
    }));
  });
  afterAll(() => simulator.close());

  it('powers off a tag of 10,000 droplets in one bulk call within 1.5 s (about 0.1 to 0.2 s when the machine is idle), and settles them all', async () => {
    const started = performance.now();
    const response = await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'power_off' });
    const elapsed = performance.now() - started;
    simulator.advance(60_000);

    expect(response.status).toBe(201);
    expect(response.body.actions).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(1_500);
    expect(
      (await api.get('/v2/droplets?tag_name=fleet&per_page=200&page=50')).body.droplets.every(
        (d: { status: string }) => d.status === 'off',
      ),
    ).toBe(true);
  });

  it('pages through tens of thousands of actions without scanning them all', async () => {
    await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'power_on' });
    await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'enable_ipv6' });
    simulator.advance(60_000);

    const started = performance.now();
    for (let page = 1; page <= 20; page += 1) {
      const { body } = await api.get(`/v2/actions?per_page=200&page=${page}`);
      expect(body.actions).toHaveLength(200);
    }
    const elapsed = performance.now() - started;

    expect(simulator.state().actions.length).toBeGreaterThanOrEqual(30_000);
    expect(elapsed).toBeLessThan(3_000);
  });
});
