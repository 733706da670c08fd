/* eslint-disable @typescript-eslint/no-explicit-any -- the cases read whatever JSON the API answers */
import type { DropletSeed, SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

const DAY_MS = 86_400_000;

interface EffectCase {
  readonly body: Record<string, unknown>;
  readonly seed: DropletSeed;
  readonly expectDroplet: (droplet: Record<string, any>, api: SimulatorApi) => Promise<void> | void;
}

const cases: Record<string, EffectCase> = {
  power_off: { body: {}, seed: {}, expectDroplet: (d) => expect(d.status).toBe('off') },
  shutdown: { body: {}, seed: {}, expectDroplet: (d) => expect(d.status).toBe('off') },
  power_on: { body: {}, seed: { status: 'off' }, expectDroplet: (d) => expect(d.status).toBe('active') },
  reboot: { body: {}, seed: {}, expectDroplet: (d) => expect(d.status).toBe('active') },
  power_cycle: { body: {}, seed: {}, expectDroplet: (d) => expect(d.status).toBe('active') },
  snapshot: {
    body: { name: 'nightly-1' },
    seed: { usedDiskGb: 4 },
    expectDroplet: async (d, api) => {
      expect(d.snapshot_ids).toHaveLength(1);
      const { body } = await api.get(`/v2/droplets/${d.id}/snapshots`);
      expect(body.snapshots).toEqual([
        expect.objectContaining({
          id: d.snapshot_ids[0],
          name: 'nightly-1',
          size_gigabytes: 4,
          type: 'snapshot',
        }),
      ]);
    },
  },
  resize: {
    body: { size: 's-2vcpu-4gb', disk: true },
    seed: { status: 'off', sizeSlug: 's-1vcpu-1gb' },
    expectDroplet: (d) => {
      expect(d).toMatchObject({ size_slug: 's-2vcpu-4gb', memory: 4096, vcpus: 2, disk: 80 });
      expect(d.size.slug).toBe('s-2vcpu-4gb');
    },
  },
  rename: {
    body: { name: 'renamed.example' },
    seed: {},
    expectDroplet: (d) => expect(d.name).toBe('renamed.example'),
  },
  enable_backups: {
    body: { backup_policy: { plan: 'weekly', weekday: 'MON', hour: 4 } },
    seed: {},
    expectDroplet: (d) => {
      expect(d.features).toContain('backups');
      expect(d.next_backup_window).toEqual({ start: expect.any(String), end: expect.any(String) });
    },
  },
  disable_backups: {
    body: {},
    seed: { backups: true },
    expectDroplet: (d) => {
      expect(d.features).not.toContain('backups');
      expect(d.next_backup_window).toBeNull();
    },
  },
  change_backup_policy: {
    body: { backup_policy: { plan: 'daily', hour: 20 } },
    seed: { backups: true },
    expectDroplet: (d) => expect(d.next_backup_window.start).toMatch(/T20:00:00Z$/),
  },
  enable_ipv6: {
    body: {},
    seed: {},
    expectDroplet: (d) => {
      expect(d.features).toContain('ipv6');
      expect(d.networks.v6).toHaveLength(1);
    },
  },
  rebuild: {
    body: { image: 'debian-12-x64' },
    seed: {},
    expectDroplet: (d) => expect(d.image.slug).toBe('debian-12-x64'),
  },
  change_kernel: { body: { kernel: 7515 }, seed: {}, expectDroplet: (d) => expect(d.kernel.id).toBe(7515) },
  password_reset: { body: {}, seed: {}, expectDroplet: (d) => expect(d.status).toBe('active') },
  // The seeded backup stays, and the simulated day added one more.
  restore: { body: {}, seed: { backups: true }, expectDroplet: (d) => expect(d.backup_ids).toHaveLength(2) },
};

describe('the simulator: what each action does to its droplet', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeAll(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 0 }));
  });
  afterAll(() => simulator.close());

  it.each(Object.entries(cases))(
    'given a fitting droplet, when %s runs to completion, then its effect shows',
    async (type, { body, seed, expectDroplet }) => {
      // Prepare
      const droplet = simulator.addDroplet(seed);
      const extra = type === 'restore' ? { image: droplet.backupIds[0] } : {};

      // Act
      const started = await api.post(`/v2/droplets/${droplet.id}/actions`, { type, ...body, ...extra });
      const whileRunning = (await api.get(`/v2/droplets/${droplet.id}`)).body.droplet;
      simulator.advance(DAY_MS);
      const action = (await api.get(`/v2/actions/${started.body.action.id}`)).body.action;
      const after = (await api.get(`/v2/droplets/${droplet.id}`)).body.droplet;

      // Assess
      expect(started.status).toBe(201);
      expect(started.body.action).toMatchObject({
        type,
        status: 'in-progress',
        completed_at: null,
        resource_id: droplet.id,
        resource_type: 'droplet',
      });
      expect(whileRunning.locked).toBe(true);
      expect(action.status).toBe('completed');
      expect(Date.parse(action.completed_at)).toBeGreaterThanOrEqual(Date.parse(action.started_at));
      expect(after.locked).toBe(false);
      await expectDroplet(after, api);
    },
  );

  it('covers all sixteen action types', () => {
    expect(Object.keys(cases)).toHaveLength(16);
  });

  it('keeps the disk on a resize without disk: true', async () => {
    const droplet = simulator.addDroplet({ status: 'off', sizeSlug: 's-1vcpu-1gb' });

    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'resize', size: 's-2vcpu-4gb' });
    simulator.advance(DAY_MS);

    expect((await api.get(`/v2/droplets/${droplet.id}`)).body.droplet).toMatchObject({
      size_slug: 's-2vcpu-4gb',
      disk: 25,
    });
  });

  it('takes power actions seconds and snapshots 1 to 3 minutes per GB of used disk', async () => {
    const droplet = simulator.addDroplet({ usedDiskGb: 10 });
    const power = await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_cycle' });
    simulator.advance(60_000);
    expect((await api.get(`/v2/actions/${power.body.action.id}`)).body.action.status).toBe('completed');

    const snapshot = await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'snapshot' });
    simulator.advance(9 * 60_000);
    expect((await api.get(`/v2/actions/${snapshot.body.action.id}`)).body.action.status).toBe('in-progress');
    simulator.advance(22 * 60_000);
    expect((await api.get(`/v2/actions/${snapshot.body.action.id}`)).body.action.status).toBe('completed');
  });

  it('ends an action errored with no effect when the error rate says so', async () => {
    const failing = await startTestSimulator({ droplets: 1, actionErrorRate: 1 });
    try {
      const [droplet] = (await failing.api.get('/v2/droplets')).body.droplets;
      const started = await failing.api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_off' });
      failing.simulator.advance(DAY_MS);

      expect((await failing.api.get(`/v2/actions/${started.body.action.id}`)).body.action.status).toBe(
        'errored',
      );
      expect((await failing.api.get(`/v2/droplets/${droplet.id}`)).body.droplet).toMatchObject({
        status: 'active',
        locked: false,
      });
    } finally {
      await failing.simulator.close();
    }
  });

  it('finishes actions timeScale times faster, with timestamps still on the wall clock', async () => {
    const fast = await startTestSimulator({ droplets: 1, clock: 'real', timeScale: 1000 });
    try {
      const [droplet] = (await fast.api.get('/v2/droplets')).body.droplets;
      const started = await fast.api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_off' });
      // power_off takes 5 seconds on the real API: 5 milliseconds at x1000.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const action = (await fast.api.get(`/v2/actions/${started.body.action.id}`)).body.action;

      expect(action.status).toBe('completed');
      expect(Math.abs(Date.parse(action.completed_at) - Date.now())).toBeLessThan(5_000);
    } finally {
      await fast.simulator.close();
    }
  });
});
