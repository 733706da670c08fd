import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../simulator';
import { simulatorApi } from '../support/start-simulator';

const ROOT = path.join(__dirname, '..', '..');
const FIRST_ACTION_ID = 2_100_000_001;
const DAY_MS = 86_400_000;

/** `simulator/main.ts` with a state file; resolves with its URL once it serves. */
async function serveInChild(stateFile: string, token: string) {
  // Node itself with tsx's loader, not the tsx wrapper, so that SIGKILL reaches the server.
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'simulator', 'main.ts'),
      '--port',
      '0',
      '--droplets',
      '3',
      '--time-scale',
      // Large generated disks snapshot for up to 3 hours: a few seconds here.
      '6000',
      '--state-file',
      stateFile,
    ],
    { cwd: ROOT, env: { ...process.env, DIGITALOCEAN_TOKEN: token } },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 20_000;
  while (!/Ctrl-C/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the simulator did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /url:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { url, output, kill: async () => (child.kill('SIGKILL'), await exited) };
}

describe('the simulator with a state file', () => {
  let dir: string;
  let file: string;
  const open: SimulatorHandle[] = [];
  const start = async (options: SimulatorOptions = {}) => {
    const simulator = await startSimulator({
      clock: 'manual',
      droplets: 3,
      rateLimit: false,
      stateFile: file,
      ...options,
    });
    open.push(simulator);
    return { simulator, api: simulatorApi(simulator) };
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'simulator-state-'));
    file = path.join(dir, 'simulated-fleet.json');
  });
  afterEach(async () => {
    // Some tests stop a simulator themselves; closing it again only says it is not running.
    await Promise.allSettled(open.splice(0).map((simulator) => simulator.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('given a process killed with actions in flight, when it starts again from the file, then every action it answered ends completed and no id repeats', async () => {
    // Prepare: a real process, so that the stop is as abrupt as a second Ctrl-C.
    const token = `dop_v1_${'5e'.repeat(32)}`;
    const first = await serveInChild(file, token);
    const api = simulatorApi({ url: first.url, token });
    const droplets: { id: number }[] = (await api.get('/v2/droplets')).body.droplets;
    const started: number[] = [];
    for (const droplet of droplets) {
      const response = await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'snapshot' });
      expect(response.status).toBe(201);
      started.push(response.body.action.id);
    }

    // Act
    await first.kill();
    const second = await serveInChild(file, token);
    try {
      const again = simulatorApi({ url: second.url, token });
      const deadline = Date.now() + 10_000;
      let statuses: string[] = [];
      do {
        statuses = await Promise.all(
          started.map(async (id) => (await again.get(`/v2/actions/${id}`)).body.action?.status ?? 'missing'),
        );
        if (statuses.every((status) => status === 'completed')) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } while (Date.now() < deadline);
      const next = await again.post(`/v2/droplets/${droplets[0]!.id}/actions`, { type: 'power_off' });

      // Assess
      expect(second.output).toMatch(/state:\s+resumed the simulated account from .*: 3 droplets, 3 actions/);
      expect(statuses).toEqual(['completed', 'completed', 'completed']);
      expect(next.body.action.id).toBeGreaterThan(Math.max(...started));
      const snapshots = await again.get(`/v2/droplets/${droplets[0]!.id}/snapshots`);
      expect(snapshots.body.snapshots).toHaveLength(1);
      expect(snapshots.body.snapshots[0].name).toMatch(/-\d{10}$/);
    } finally {
      await second.kill();
    }
  }, 60_000);

  it('given everything parking touches, when the simulator restarts from its file, then all of it is there and running actions finish on the clock', async () => {
    // Prepare
    const first = await start();
    const droplet = first.simulator.addDroplet({
      name: 'db-1',
      region: 'fra1',
      backups: true,
      usedDiskGb: 2,
    });
    const ip = first.simulator.addReservedIp({ region: 'fra1' });
    const volume = first.simulator.addVolume({ name: 'db-data', region: 'fra1' });
    const firewall = first.simulator.addFirewall({ name: 'db', dropletIds: [droplet.id] });
    const project = first.simulator.addProject({
      name: 'databases',
      resources: [`do:droplet:${droplet.id}`],
    });
    first.simulator.setSettings({ actionListOrder: 'oldest-first' });
    const assign = await first.api.post(`/v2/reserved_ips/${ip.ip}/actions`, {
      type: 'assign',
      droplet_id: droplet.id,
    });
    const attach = await first.api.post(`/v2/volumes/${volume.id}/actions`, {
      type: 'attach',
      droplet_id: droplet.id,
    });
    const snapshot = await first.api.post(`/v2/droplets/${droplet.id}/actions`, {
      type: 'snapshot',
      name: 'db-1-park',
    });

    // Act: nothing saves at close; every answer was saved before it left.
    await first.simulator.close();
    const second = await start();
    second.simulator.advance(DAY_MS);
    const ids = [assign, attach, snapshot].map((response) => response.body.action.id as number);
    const actions = await Promise.all(
      ids.map(async (id) => (await second.api.get(`/v2/actions/${id}`)).body.action),
    );

    // Assess
    expect(second.simulator.stateNote).toMatch(
      /resumed the simulated account .*3 actions \(3 still running\)/,
    );
    expect(actions.map((action) => action.status)).toEqual(['completed', 'completed', 'completed']);
    const state = second.simulator.state();
    expect(state.reservedIps).toEqual([expect.objectContaining({ ip: ip.ip, dropletId: droplet.id })]);
    expect(state.volumes).toEqual([expect.objectContaining({ id: volume.id, dropletIds: [droplet.id] })]);
    expect(state.firewalls).toEqual([expect.objectContaining({ id: firewall.id, dropletIds: [droplet.id] })]);
    expect(state.projects.find((p) => p.id === project.id)?.resources.map((r) => r.urn)).toEqual([
      `do:droplet:${droplet.id}`,
    ]);
    expect(state.snapshots.map((s) => s.name)).toEqual(['db-1-park']);
    expect(state.backups.filter((b) => b.dropletId === droplet.id).length).toBeGreaterThanOrEqual(2);
    expect(state.actionListOrder).toBe('oldest-first');
  });

  it('given a saved account, when it restarts with seeds, then only tags never seen get droplets, and a destroyed one stays destroyed', async () => {
    const first = await start({ droplets: 0, seedDroplets: [{ name: 'stg-1', tags: ['stg'] }] });
    const [stg] = first.simulator.state().droplets;
    expect((await first.api.delete(`/v2/droplets/${stg!.id}`)).status).toBe(204);
    await first.simulator.close();

    const second = await start({
      droplets: 0,
      seedDroplets: [
        { name: 'stg-1', tags: ['stg'] },
        { name: 'lab-1', tags: ['lab'] },
      ],
    });

    expect(second.simulator.state().droplets.map((droplet) => droplet.name)).toEqual(['lab-1']);
    expect(second.simulator.stateNote).toMatch(/1 new for tags or ids not seen before/);
  });

  it('given a torn state file, then it is set aside, the account starts over, ids start beyond any it can have given, and one line says so', async () => {
    await writeFile(file, '{"version":1,"ids":{"action":21000');
    const before = Date.now();

    const { simulator, api } = await start();
    const [droplet] = (await api.get('/v2/droplets')).body.droplets;
    const action = (await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'reboot' })).body.action;

    expect(simulator.stateNote).toMatch(
      /simulated-fleet\.json was damaged \(.*\); set aside as .*damaged-.*, started over/,
    );
    expect(simulator.stateNote!.split('\n')).toHaveLength(1);
    expect(action.id).toBeGreaterThanOrEqual(FIRST_ACTION_ID + (before - Date.UTC(2026, 0, 1)));
    expect((await readdir(dir)).filter((name) => name.includes('.damaged-'))).toHaveLength(1);
  });

  it('given no file, then it creates one at start and says where', async () => {
    const { simulator } = await start();

    expect(simulator.stateNote).toBe(`saving the simulated account in ${file}`);
    expect((await readdir(dir)).filter((name) => name === 'simulated-fleet.json')).toHaveLength(1);
  });
});
