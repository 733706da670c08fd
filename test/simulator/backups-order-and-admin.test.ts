import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

const DAY_MS = 86_400_000;

describe('the simulator: unnamed snapshots, backups over time, action list order, admin hooks', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 0, rateLimit: false }));
  });
  afterEach(() => simulator.close());

  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${simulator.url}/_simulator/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('given an empty snapshot name, then the snapshot is named after the droplet and the Unix seconds', async () => {
    const droplet = simulator.addDroplet({ name: 'web-01', usedDiskGb: 1 });

    const started = await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'snapshot', name: '' });
    simulator.advance(DAY_MS);

    expect(started.status).toBe(201);
    const [snapshot] = (await api.get(`/v2/droplets/${droplet.id}/snapshots`)).body.snapshots;
    const seconds = Number(/^web-01-(\d{10})$/.exec(snapshot.name)?.[1]);
    expect(Math.abs(seconds - Date.parse(snapshot.created_at) / 1000)).toBeLessThanOrEqual(1);
  });

  it('given daily then no backups, then one backup a simulated day while on, at most seven, none after', async () => {
    const droplet = simulator.addDroplet({ name: 'db-01' });
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'enable_backups' });
    simulator.advance(60_000);

    simulator.advance(2 * DAY_MS);
    const afterTwoDays = (await api.get(`/v2/droplets/${droplet.id}/backups`)).body;
    simulator.advance(30 * DAY_MS);
    const afterAMonth = (await api.get(`/v2/droplets/${droplet.id}/backups`)).body;
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'disable_backups' });
    simulator.advance(60_000);
    simulator.advance(3 * DAY_MS);
    const afterDisable = (await api.get(`/v2/droplets/${droplet.id}/backups`)).body;

    expect(afterTwoDays.meta.total).toBe(2);
    expect(afterTwoDays.backups[0]).toMatchObject({ type: 'backup', regions: [droplet.regionSlug] });
    expect(afterAMonth.meta.total).toBe(7);
    expect(afterDisable.meta.total).toBe(7);
    expect((await api.get(`/v2/droplets/${droplet.id}`)).body.droplet.backup_ids).toEqual(
      afterAMonth.backups.map((backup: { id: number }) => backup.id),
    );
  });

  it.each([
    ['at start', true],
    ['through the admin API', false],
  ])(
    'given oldest-first %s, then both action lists read oldest first; newest-first is the default',
    async (_how, atStart) => {
      const ordered = atStart
        ? await startTestSimulator({ droplets: 0, rateLimit: false, actionListOrder: 'oldest-first' })
        : { simulator, api };
      try {
        const droplet = ordered.simulator.addDroplet({ name: 'web-02' });
        const ids: number[] = [];
        for (const type of ['power_off', 'power_on', 'reboot']) {
          ids.push((await ordered.api.post(`/v2/droplets/${droplet.id}/actions`, { type })).body.action.id);
          ordered.simulator.advance(60_000);
        }
        const newestFirst = (await ordered.api.get('/v2/actions')).body.actions.map(
          (a: { id: number }) => a.id,
        );
        if (!atStart) {
          const changed = await fetch(`${ordered.simulator.url}/_simulator/settings`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ actionListOrder: 'oldest-first' }),
          });
          expect(changed.status).toBe(200);
        }

        const account = (await ordered.api.get('/v2/actions')).body.actions.map((a: { id: number }) => a.id);
        const forDroplet = (await ordered.api.get(`/v2/droplets/${droplet.id}/actions?per_page=2&page=2`))
          .body;

        expect(account).toEqual(ids);
        expect(forDroplet.actions.map((a: { id: number }) => a.id)).toEqual([ids[2]]);
        if (!atStart) expect(newestFirst).toEqual([...ids].reverse());
      } finally {
        if (atStart) await ordered.simulator.close();
      }
    },
  );

  it('given the admin API, then reserved IPs, volumes, firewalls, projects and size offers can be set up, and a bad one is a 400 naming the field', async () => {
    const droplet = simulator.addDroplet({ name: 'web-03', region: 'ams3' });

    const ip = await admin('reserved_ips', { dropletId: droplet.id });
    const volume = await admin('volumes', { name: 'web-data', dropletId: droplet.id });
    const firewall = await admin('firewalls', { name: 'web', dropletIds: [droplet.id] });
    const project = await admin('projects', { name: 'web', resources: [`do:droplet:${droplet.id}`] });
    const size = await admin('sizes', { slug: 's-1vcpu-1gb', available: false });
    const bad = await admin('volumes', { name: 'Not Valid' });
    const order = await admin('settings', { actionListOrder: 'sideways' });

    expect([ip.status, volume.status, firewall.status, project.status, size.status]).toEqual([
      201, 201, 201, 201, 200,
    ]);
    expect(ip.body.reserved_ip).toMatchObject({ regionSlug: 'ams3', dropletId: droplet.id });
    expect((await api.get(`/v2/droplets/${droplet.id}`)).body.droplet.volume_ids).toEqual([
      (volume.body.volume as { id: string }).id,
    ]);
    expect(
      (await api.get('/v2/sizes')).body.sizes.find((s: { slug: string }) => s.slug === 's-1vcpu-1gb')
        .available,
    ).toBe(false);
    expect(bad).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^volumes\[\]\.name: .*got: "Not Valid"/) },
    });
    expect(order).toMatchObject({
      status: 400,
      body: { message: expect.stringMatching(/^actionListOrder: .*got: "sideways"/) },
    });
    const state = simulator.state();
    expect(state.firewalls[0]?.dropletIds).toEqual([droplet.id]);
    expect(state.projects.map((p) => [p.name, p.resources.length])).toEqual([
      ['first-project', 0],
      ['web', 1],
    ]);
  });

  it('given request bodies, then the simulator judges them by its own rules: a multi-create is refused, unknown create fields are ignored', async () => {
    const many = await api.post('/v2/droplets', {
      names: ['a', 'b'],
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
    });
    const extra = await api.post('/v2/droplets', {
      name: 'one',
      region: 'nyc3',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
      something_new: true,
    });
    const weekly = await api.post('/v2/droplets', {
      name: 'two',
      size: 's-1vcpu-1gb',
      image: 'ubuntu-24-04-x64',
      backup_policy: { plan: 'weekly', hour: 3 },
    });

    expect(many).toMatchObject({ status: 422, body: { message: expect.stringMatching(/^names:/) } });
    expect(extra.status).toBe(202);
    expect(weekly).toMatchObject({
      status: 422,
      body: { message: expect.stringMatching(/^backup_policy\.hour: expected one of 0, 4/) },
    });
  });
});
