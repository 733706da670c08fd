import { startSimulator, type SimulatorHandle } from '../../simulator';
import { startCliCaptured, runCliCaptured, waitFor, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: UTC }
policies:
  - name: web-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001, 400000002, 400000003] }
    action: { type: reboot }
`;

/** The words of a hint printed as `...: droplet-scheduler <words>`, which need no shell quoting here. */
function hintedCommand(output: string): string[] {
  const hint = /: droplet-scheduler (reconcile .*)$/m.exec(output)?.[1];
  if (hint === undefined) throw new Error(`expected a reconcile hint, got: ${output}`);
  return hint.split(' ');
}

describe('hints that work when pasted', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;

  beforeEach(async () => {
    simulator = await startSimulator({ droplets: 3, timeScale: 600 });
    work = await workDirWithPolicies(POLICIES);
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given run with --store, --time-scale and --api-url, when its reconcile hint is pasted, then it settles the actions that run started', async () => {
    const env = { DIGITALOCEAN_TOKEN: simulator.token };
    const run = await runCliCaptured(
      ['run', 'web-reboot', '--store', 'elsewhere', '--time-scale', '600', '--api-url', simulator.url],
      { env, cwd: work.dir },
    );
    expect(run.stdout).toMatch(/started\s+3/);

    const words = hintedCommand(run.stdout);
    const pasted = await runCliCaptured([...words, '--json'], { env, cwd: work.dir });

    expect(words).toEqual(
      expect.arrayContaining(['--store', 'elsewhere', '--time-scale', '600', '--api-url', simulator.url]),
    );
    expect(pasted.code).toBe(0);
    expect(JSON.parse(pasted.stdout)).toMatchObject({ completed: 3, stillOpen: 0, settled: true });
  });

  test('given the simulator command, when its export line is pasted, then droplet-scheduler reaches the simulator with that URL and token', async () => {
    const stop = new AbortController();
    const server = startCliCaptured(['simulator', '--port', '0', '--droplets', '3'], {
      env: {},
      cwd: work.dir,
      signal: stop.signal,
    });
    try {
      await waitFor('the banner', () => /Ctrl-C/.test(server.stdout()));
      const line = /^\s+export (.+)$/m.exec(server.stdout())?.[1];
      const exported = Object.fromEntries((line ?? '').split(' ').map((pair) => pair.split('=', 2)));

      const run = await runCliCaptured(['run', 'web-reboot'], { env: exported, cwd: work.dir });

      expect(Object.keys(exported).sort()).toEqual(['DIGITALOCEAN_API_URL', 'DIGITALOCEAN_TOKEN']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/started\s+3/);
    } finally {
      stop.abort();
      await server.done;
    }
  });
});
