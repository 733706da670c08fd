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

  // How fast it answers is the bench's business (client.requests_per_second); these check what it answers.
  it('powers off a tag of 10,000 droplets in one bulk call, and settles them all', async () => {
    const response = await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'power_off' });
    simulator.advance(60_000);

    expect(response.status).toBe(201);
    expect(response.body.actions).toHaveLength(10_000);
    expect(
      (await api.get('/v2/droplets?tag_name=fleet&per_page=200&page=50')).body.droplets.every(
        (d: { status: string }) => d.status === 'off',
      ),
    ).toBe(true);
  });

  it('pages through tens of thousands of actions, each page full and none repeated', async () => {
    await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'power_on' });
    await api.post('/v2/droplets/actions?tag_name=fleet', { type: 'enable_ipv6' });
    simulator.advance(60_000);

    const seen = new Set<number>();
    for (let page = 1; page <= 20; page += 1) {
      const { body } = await api.get(`/v2/actions?per_page=200&page=${page}`);
      expect(body.actions).toHaveLength(200);
      for (const action of body.actions as { id: number }[]) seen.add(action.id);
    }

    expect(simulator.state().actions.length).toBeGreaterThanOrEqual(30_000);
    expect(seen.size).toBe(20 * 200);
  });
});
