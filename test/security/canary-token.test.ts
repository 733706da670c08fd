import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCaptured, type CapturedRun } from '../cli/captured-cli';

/** A token that looks real and is made fresh for this run: if it shows up anywhere, it leaked. */
const canary = `dop_v1_${randomBytes(32).toString('hex')}`;
/** The canary with its last digit changed, so it is always a different token (never the same by chance). */
const refused = `${canary.slice(0, -1)}${canary.endsWith('0') ? '1' : '0'}`;

const POLICIES = `
defaults:
  timezone: UTC
policies:
  - name: canary-reboot
    schedule: cron(0 3 * * ? *)
    targets: { tag: web }
    action: { type: reboot }
  - name: canary-snapshots
    schedule: cron(0 2 * * ? *)
    targets: { tag: db }
    action: { type: snapshot }
    retention: { keepLast: 1 }
`;

/** Every file below a directory, as text (the store's ledger files, event file and queue journal). */
async function allText(directory: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(directory, { recursive: true })) {
    const file = path.join(directory, entry);
    if ((await stat(file)).isFile()) text += (await readFile(file)).toString('latin1');
  }
  return text;
}

describe('the DigitalOcean token', () => {
  let simulator: SimulatorHandle;
  let directory: string;
  const runs: CapturedRun[] = [];

  beforeAll(async () => {
    simulator = await startSimulator({ token: canary, droplets: 0, timeScale: 6_000, rateLimit: false });
    // Separate droplets per policy: a snapshot must not wait for a reboot still running on its droplet.
    for (const tag of ['web', 'web', 'web', 'db', 'db', 'db'])
      simulator.addDroplet({ tags: [tag], usedDiskGb: 1 });
    directory = await mkdtemp(path.join(tmpdir(), 'canary-'));
    await writeFile(path.join(directory, 'policies.yaml'), POLICIES);
    const env = { PATH: process.env.PATH, DIGITALOCEAN_TOKEN: canary, DIGITALOCEAN_API_URL: simulator.url };
    const cli = (...argv: string[]) =>
      runCaptured(argv, { env, cwd: directory }).then((run) => void runs.push(run));
    await cli('run', 'canary-reboot');
    await cli('run', 'canary-snapshots');
    await cli('reconcile', '--until-settled', '--timeout', '1m');
    await cli('audit', '--since', '1d', '--format', 'json');
    await cli('audit', '--since', '1d', '--format', 'csv');
    await cli('plan', '--count', '1');
    // Failures carry the request, never its headers: a refused token, an unreachable API, a bad policy.
    await runCaptured(['run', 'canary-reboot', '--at', '2026-01-01T00:00:00Z'], {
      env: { ...env, DIGITALOCEAN_TOKEN: refused },
      cwd: directory,
    }).then((run) => void runs.push(run));
    await runCaptured(
      ['run', 'canary-reboot', '--at', '2026-02-01T00:00:00Z', '--api-url', 'http://127.0.0.1:1'],
      { env, cwd: directory },
    ).then((run) => void runs.push(run));
  }, 120_000);

  afterAll(async () => {
    await simulator.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('did real work, so that the checks below look at real output', () => {
    expect(runs.slice(0, 6).map((run) => run.code)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(JSON.parse(runs[3]?.stdout ?? '[]')).toHaveLength(6);
    expect(runs.slice(6).map((run) => run.code)).toEqual([1, 2]);
  });

  it('appears in no CLI output, success or failure', () => {
    for (const run of runs) {
      expect(run.stdout).not.toContain(canary);
      expect(run.stderr).not.toContain(canary);
    }
  });

  it('appears nowhere in the store: ledger, events, queue journal', async () => {
    const stored = await allText(path.join(directory, '.droplet-scheduler'));
    expect(stored).toContain('canary-snapshots'); // the store was really read
    expect(stored).not.toContain(canary);
  });
});
