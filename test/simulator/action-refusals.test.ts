import { BULK_ACTION_TYPES } from '../../lambdas/core/actions/action-catalog';
import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: actions it refuses', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 6, tags: { staging: 4 } }));
  });
  afterEach(() => simulator.close());

  const firstDroplet = async (): Promise<number> =>
    (await api.get('/v2/droplets?per_page=1')).body.droplets[0].id;

  it('given a running action, when another starts on the droplet, then 422 "Droplet already has a pending event."', async () => {
    const id = await firstDroplet();
    await api.post(`/v2/droplets/${id}/actions`, { type: 'reboot' });

    const second = await api.post(`/v2/droplets/${id}/actions`, { type: 'power_off' });

    expect(second.status).toBe(422);
    expect(second.body).toEqual({
      id: 'unprocessable_entity',
      message: 'Droplet already has a pending event.',
      request_id: expect.any(String),
    });
  });

  it('given a shutdown that hangs, lets a power_off cut it short and ends the shutdown errored', async () => {
    const id = await firstDroplet();
    simulator.setFaults({ stuckDropletIds: [id] });
    const shutdown = (await api.post(`/v2/droplets/${id}/actions`, { type: 'shutdown' })).body.action;
    simulator.setFaults({ stuckDropletIds: [] });

    const powerOff = await api.post(`/v2/droplets/${id}/actions`, { type: 'power_off' });
    simulator.advance(60_000);

    expect(powerOff.status).toBe(201);
    expect(simulator.action(shutdown.id)?.status).toBe('errored');
    expect(simulator.droplet(id)?.status).toBe('off');
  });

  it('given a running reboot, still refuses a power_off with the pending event', async () => {
    const id = await firstDroplet();
    await api.post(`/v2/droplets/${id}/actions`, { type: 'reboot' });

    expect((await api.post(`/v2/droplets/${id}/actions`, { type: 'power_off' })).status).toBe(422);
  });

  it('accepts a new action once the running one has completed', async () => {
    const id = await firstDroplet();
    await api.post(`/v2/droplets/${id}/actions`, { type: 'reboot' });
    simulator.advance(60_000);

    expect((await api.post(`/v2/droplets/${id}/actions`, { type: 'power_off' })).status).toBe(201);
  });

  it.each([
    [{ type: 'resize' }, 'size'],
    [{ type: 'resize', size: 5 }, 'size'],
    [{ type: 'rename', name: 'not a hostname!' }, 'name'],
    [{ type: 'restore' }, 'image'],
    [{ type: 'rebuild' }, 'image'],
    [{ type: 'change_kernel', kernel: 'x' }, 'kernel'],
    [{ type: 'change_backup_policy' }, 'backup_policy'],
    [{ type: 'enable_backups', backup_policy: { plan: 'weekly', hour: 4 } }, 'backup_policy.weekday'],
    [{ type: 'enable_backups', backup_policy: { plan: 'daily', hour: 3 } }, 'backup_policy.hour'],
    [{ type: 'reboot', image: 1 }, 'image'],
    [{ type: 'explode' }, 'type'],
    [{}, 'type'],
  ])('given the body %j, then 422 names the parameter %s', async (body, parameter) => {
    const id = await firstDroplet();

    const response = await api.post(`/v2/droplets/${id}/actions`, body);

    expect(response.status).toBe(422);
    expect(response.body.id).toBe('unprocessable_entity');
    expect(response.body.message).toMatch(new RegExp(`^${parameter.replace('.', '\\.')}:`));
  });

  it('answers 400 bad_request for a body that is not JSON', async () => {
    const id = await firstDroplet();
    const response = await fetch(`${simulator.url}/v2/droplets/${id}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${simulator.token}`, 'content-type': 'application/json' },
      body: '{"type":',
    });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { id: string }).id).toBe('bad_request');
  });

  it.each([
    ['power_on', 'active', 'Droplet is already powered on.'],
    ['power_off', 'off', 'Droplet is already powered off.'],
    ['shutdown', 'off', 'Droplet is already powered off.'],
    ['resize', 'active', 'Droplet must be powered off before it can be resized.'],
    ['change_backup_policy', 'active', 'Backups must be enabled to change the backup policy.'],
  ] as const)('refuses %s on a droplet that is %s: "%s"', async (type, status, message) => {
    const droplet = simulator.addDroplet({ status });
    const params =
      type === 'resize'
        ? { size: 's-2vcpu-4gb' }
        : type === 'change_backup_policy'
          ? { backup_policy: { plan: 'daily' } }
          : {};

    const response = await api.post(`/v2/droplets/${droplet.id}/actions`, { type, ...params });

    expect(response.status).toBe(422);
    expect(response.body.message).toBe(message);
    expect(simulator.droplet(droplet.id)?.locked).toBe(false);
  });

  it('refuses a resize to a smaller disk and a restore from an image that is not the droplet’s', async () => {
    const droplet = simulator.addDroplet({ status: 'off', sizeSlug: 's-2vcpu-4gb' });

    const resize = await api.post(`/v2/droplets/${droplet.id}/actions`, {
      type: 'resize',
      size: 's-1vcpu-1gb',
      disk: true,
    });
    const restore = await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'restore', image: 12345 });

    expect(resize.body.message).toMatch(/^size: 's-1vcpu-1gb' has a 25 GB disk/);
    expect(restore.body.message).toMatch(/^image: 12345 is not a backup or snapshot/);
  });

  it.each(BULK_ACTION_TYPES.filter((type) => type !== 'power_on'))(
    'accepts %s by tag, one action per tagged droplet',
    async (type) => {
      const response = await api.post('/v2/droplets/actions?tag_name=staging', { type });

      expect(response.status).toBe(201);
      expect(response.body.actions).toHaveLength(4);
      expect(new Set(response.body.actions.map((a: { resource_id: number }) => a.resource_id)).size).toBe(4);
      expect(response.body.actions.every((a: { type: string }) => a.type === type)).toBe(true);
    },
  );

  it.each([
    'reboot',
    'resize',
    'rename',
    'rebuild',
    'restore',
    'password_reset',
    'change_kernel',
    'change_backup_policy',
  ])('refuses %s by tag with a 422 that names the type', async (type) => {
    const params: Record<string, unknown> = {
      resize: { size: 's-2vcpu-4gb' },
      rename: { name: 'x' },
      rebuild: { image: 'debian-12-x64' },
      restore: { image: 1 },
      change_kernel: { kernel: 1 },
      change_backup_policy: { backup_policy: { plan: 'daily' } },
    };
    const response = await api.post('/v2/droplets/actions?tag_name=staging', {
      type,
      ...(params[type] as object | undefined),
    });

    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(new RegExp(`^type: '${type}' cannot be started by tag`));
  });

  it('skips no droplet in a bulk call: one that cannot act gets an errored action', async () => {
    const [busy] = (await api.get('/v2/droplets?tag_name=staging')).body.droplets;
    await api.post(`/v2/droplets/${busy.id}/actions`, { type: 'reboot' });

    const response = await api.post('/v2/droplets/actions?tag_name=staging', { type: 'power_off' });

    expect(response.body.actions).toHaveLength(4);
    const forBusy = response.body.actions.find((a: { resource_id: number }) => a.resource_id === busy.id);
    expect(forBusy).toMatchObject({ status: 'errored', completed_at: expect.any(String) });
    expect(response.body.actions.filter((a: { status: string }) => a.status === 'in-progress')).toHaveLength(
      3,
    );
  });

  it('requires tag_name on a bulk call', async () => {
    const response = await api.post('/v2/droplets/actions', { type: 'power_off' });

    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/^tag_name:/);
  });
});
