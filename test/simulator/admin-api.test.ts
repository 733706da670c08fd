import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: admin API under /_simulator', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 4, tags: { staging: 2 } }));
  });
  afterEach(() => simulator.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${simulator.url}/_simulator${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  it('given some traffic, when GET /_simulator/state (no token), then droplets, actions, counts per route and 429s show', async () => {
    const [droplet] = (await api.get('/v2/droplets')).body.droplets;
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_off' });
    await api.get(`/v2/droplets/${droplet.id}`);

    const { status, body } = await admin('GET', '/state');

    expect(status).toBe(200);
    expect(body.droplets).toHaveLength(4);
    expect(body.actions).toEqual([expect.objectContaining({ type: 'power_off', dropletId: droplet.id })]);
    expect(body.snapshots).toEqual([]);
    expect(body.requestCounts).toEqual({
      'GET /v2/droplets': 1,
      'POST /v2/droplets/{droplet_id}/actions': 1,
      'GET /v2/droplets/{droplet_id}': 1,
    });
    expect(body.rateLimited).toBe(0);
    expect(simulator.requestCounts()).toEqual(body.requestCounts);
  });

  it('sets faults with POST /_simulator/faults and refuses bad values with 400', async () => {
    const set = await admin('POST', '/faults', { serverErrorRate: 1, stuckDropletIds: [1, 2] });
    const failing = await api.get('/v2/droplets');
    const bad = await admin('POST', '/faults', { latencyMs: -1 });

    expect(set.body.faults).toMatchObject({ serverErrorRate: 1, stuckDropletIds: [1, 2] });
    expect([500, 503]).toContain(failing.status);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('faults.latencyMs: expected an integer >= 0, got: -1');
  });

  it('resets to the start state with POST /_simulator/reset', async () => {
    const [droplet] = (await api.get('/v2/droplets')).body.droplets;
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_off' });
    simulator.advance(60_000);
    await admin('POST', '/faults', { latencyMs: 5 });

    const reset = await admin('POST', '/reset');
    const state = (await admin('GET', '/state')).body;

    expect(reset.status).toBe(204);
    expect(state.actions).toEqual([]);
    expect(state.requestCounts).toEqual({});
    expect(state.faults.latencyMs).toBe(0);
    expect(state.droplets.find((d: { id: number }) => d.id === droplet.id).status).toBe('active');
  });

  it('moves a manual clock with POST /_simulator/advance and adds droplets with POST /_simulator/droplets', async () => {
    const added = await admin('POST', '/droplets', { status: 'off', tags: ['staging'], disk: 100 });
    const started = await api.post(`/v2/droplets/${added.body.droplet.id}/actions`, { type: 'power_on' });
    await admin('POST', '/advance', { ms: 60_000 });

    expect(added.status).toBe(201);
    expect((await api.get('/v2/droplets?tag_name=staging')).body.meta.total).toBe(3);
    expect((await api.get(`/v2/actions/${started.body.action.id}`)).body.action.status).toBe('completed');
  });

  it('answers 404 for an unknown admin path', async () => {
    expect((await admin('GET', '/nope')).status).toBe(404);
  });
});
