import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator } from '../../simulator';
import type { BenchSuite } from '../figure';

const DROPLETS = 10_000;
/** Long enough for the run-now tick and three scheduled ticks (every minute, alternating off and on). */
const OBSERVE_MS = 200_000;

const POLICIES = `
defaults:
  timezone: UTC
policies:
  - name: fleet-off
    schedule: cron(0/2 * * * ? *)
    targets: { tag: fleet }
    action: { type: power_off }
  - name: fleet-on
    schedule: cron(1/2 * * * ? *)
    targets: { tag: fleet }
    action: { type: power_on }
  - name: db-snapshots
    schedule: cron(0/2 * * * ? *)
    targets: { tag: db }
    action: { type: snapshot }
    retention: { keepLast: 2 }
`;

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * `local.rss_mb`: the peak resident memory of a real `droplet-scheduler local` process running a
 * fleet of 10,000 droplets (bulk power_off and power_on on all of them, snapshots of 50) over
 * several ticks, sampled from /proc every second. The process is the CLI as the package installs
 * it: the compiled `dist/` (built here first), started through the same bin shim, with no tsx. The
 * simulator runs in this process, so its memory is not counted.
 */
export const localMemorySuite: BenchSuite = async (record) => {
  buildPackage();
  const directory = await mkdtemp(path.join(tmpdir(), 'local-rss-'));
  const simulator = await startSimulator({
    droplets: DROPLETS,
    tags: { fleet: DROPLETS, db: 50 },
    timeScale: 600,
  });
  const policies = path.join(directory, 'policies.yaml');
  await writeFile(policies, POLICIES);
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'bin', 'droplet-scheduler.cjs'),
      'local',
      '-f',
      policies,
      '--store',
      path.join(directory, 'store'),
      '--api-url',
      simulator.url,
      // DigitalOcean's side is the simulator's business (600 times faster); the scheduler itself
      // runs at real time, reconciling every 10 s as a busy local deployment might.
      '--reconcile-interval',
      '10s',
      '--run-now',
    ],
    {
      env: {
        ...process.env,
        DIGITALOCEAN_TOKEN: simulator.token,
        NO_COLOR: '1',
        DROPLET_SCHEDULER_COMPILED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let peakKb = 0;
  try {
    const deadline = Date.now() + OBSERVE_MS;
    while (Date.now() < deadline && child.exitCode === null) {
      peakKb = Math.max(peakKb, await residentKb(child.pid as number));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (child.exitCode !== null)
      throw new Error(`local exited early (${child.exitCode}):\n${output.slice(-2000)}`);
    const ticks = (output.match(/ tick /g) ?? []).length;
    record({ name: 'local.rss_mb', value: peakKb / 1024, unit: 'MB', goal: { max: 200 } });
    record({ name: 'local.ticks_observed', value: ticks, unit: 'ticks' });
    record({ name: 'local.actions_started', value: simulator.state().actions.length, unit: 'actions' });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(undefined);
      }, 30_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    await simulator.close();
    await rm(directory, { recursive: true, force: true });
  }
};

/** `npm run build`: the compiled CLI the installed package runs. */
function buildPackage(): void {
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    throw new Error(
      `npm run build failed (${result.status ?? result.signal}):\n${result.stderr.slice(-2000)}`,
    );
  }
}

async function residentKb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
