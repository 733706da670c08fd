import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: injected faults', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;
  let dropletId: number;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 3 }));
    dropletId = (await api.get('/v2/droplets?per_page=1')).body.droplets[0].id;
  });
  afterEach(() => simulator.close());

  it('answers 500 or 503 in DigitalOcean shape at serverErrorRate, and carries nothing out', async () => {
    simulator.setFaults({ serverErrorRate: 1 });

    const responses = [];
    for (let i = 0; i < 6; i += 1) {
      responses.push(await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'reboot' }));
    }
    simulator.setFaults({ serverErrorRate: 0 });

    for (const response of responses) {
      expect([500, 503]).toContain(response.status);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^(server_error|service_unavailable)$/),
        message: expect.any(String),
        request_id: expect.any(String),
      });
    }
    expect(simulator.state().actions).toHaveLength(0);
    expect((await api.get('/v2/droplets')).status).toBe(200);
  });

  it('adds latencyMs before answering', async () => {
    simulator.setFaults({ latencyMs: 120 });
    const started = performance.now();

    await api.get('/v2/droplets');

    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('given dropAfterProcessRate, when a POST is sent, then the action exists but no response arrives', async () => {
    simulator.setFaults({ dropAfterProcessRate: 1 });

    await expect(api.post(`/v2/droplets/${dropletId}/actions`, { type: 'power_off' })).rejects.toThrow();
    simulator.setFaults({ dropAfterProcessRate: 0 });

    const actions = (await api.get(`/v2/droplets/${dropletId}/actions`)).body.actions;
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ type: 'power_off', status: 'in-progress' });
  });

  it('given dropAnswerDropletIds, when POSTs are sent to those droplets, then every one is carried out and none answered, and others are answered', async () => {
    const other = (await api.get('/v2/droplets?per_page=2')).body.droplets[1].id as number;
    simulator.setFaults({ dropAnswerDropletIds: [dropletId] });

    await expect(api.post(`/v2/droplets/${dropletId}/actions`, { type: 'reboot' })).rejects.toThrow();
    const answered = await api.post(`/v2/droplets/${other}/actions`, { type: 'reboot' });

    expect(answered.status).toBe(201);
    expect(
      simulator
        .state()
        .actions.map((action) => action.dropletId)
        .sort(),
    ).toEqual([dropletId, other].sort());
  });

  it('does not drop GETs', async () => {
    simulator.setFaults({ dropAfterProcessRate: 1 });

    expect((await api.get('/v2/droplets')).status).toBe(200);
  });

  it('leaves actions of a stuck droplet in-progress forever, with the droplet locked', async () => {
    simulator.setFaults({ stuckDropletIds: [dropletId] });

    const stuck = await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'power_off' });
    simulator.advance(30 * 86_400_000);

    expect((await api.get(`/v2/actions/${stuck.body.action.id}`)).body.action.status).toBe('in-progress');
    expect((await api.get(`/v2/droplets/${dropletId}`)).body.droplet.locked).toBe(true);
    expect((await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'power_on' })).status).toBe(422);
  });

  it('leaves actions stuck at stuckActionRate', async () => {
    simulator.setFaults({ stuckActionRate: 1 });

    const response = await api.post('/v2/droplets/actions?tag_name=none', { type: 'power_off' });
    const stuck = await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'reboot' });
    simulator.advance(86_400_000);

    expect(response.body.actions).toEqual([]);
    expect(simulator.action(stuck.body.action.id)?.status).toBe('in-progress');
  });

  it('lets a shutdown complete with the droplet still running at ineffectiveShutdownRate', async () => {
    simulator.setFaults({ ineffectiveShutdownRate: 1 });

    const shutdown = await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'shutdown' });
    simulator.advance(60_000);

    expect(simulator.action(shutdown.body.action.id)?.status).toBe('completed');
    expect(simulator.droplet(dropletId)?.status).toBe('active');
  });

  it('refuses a fault value out of range, naming the field', () => {
    expect(() => simulator.setFaults({ serverErrorRate: 2 })).toThrow(
      'faults.serverErrorRate: expected a number from 0 to 1, got: 2',
    );
  });
});
