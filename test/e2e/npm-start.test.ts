import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './subprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'droplet-scheduler.cjs');
/** What `npm start` runs. */
const NPM_START = ['local', '-f', path.join(ROOT, 'examples', 'policies.yaml'), '--simulate', '--run-now'];

async function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.stdout())) {
    if (Date.now() > deadline || child.process.exitCode !== null)
      throw new Error(`expected ${pattern} within ${timeoutMs} ms, got: ${child.stdout()}${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The (policy, scheduled time) of every tick line, and whether it started something. */
function ticks(stdout: string): { policy: string; at: string; duplicate: boolean }[] {
  return [...stdout.matchAll(/tick\s+(\S+) @ (\S+) \(run-now\): (.*)$/gm)].map((match) => ({
    policy: match[1]!,
    at: match[2]!,
    duplicate: match[3]!.startsWith('already dispatched'),
  }));
}

describe('npm start (local --simulate --run-now on the example policies), as a process', () => {
  test('given a fresh directory, then actions start and complete within 60 s, Ctrl-C (twice, as under npm) exits 130, and a restart dispatches no tick twice', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-start-'));
    const env = { ...process.env, NO_COLOR: '1', DIGITALOCEAN_TOKEN: '' };
    const children: Child[] = [];
    const start = () => {
      const child = startChild(process.execPath, [CLI, ...NPM_START], { cwd: work, env });
      children.push(child);
      return child;
    };
    try {
      const first = start();
      await waitForOutput(first, /done\s+\S+ droplet .*: completed/, 60_000);
      // One Ctrl-C under npm arrives twice: from the terminal, and forwarded by npm.
      first.process.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 150));
      first.process.kill('SIGINT');
      const firstRun = await first.finished(40_000);

      const second = start();
      await waitForOutput(second, /tick\s+monday-on @/, 60_000);
      second.process.kill('SIGINT');
      const secondRun = await second.finished(40_000);

      expect(firstRun.code).toBe(130);
      expect(firstRun.stdout).toMatch(/start\s+snapshot droplet/);
      expect(firstRun.stdout).toMatch(/info\s+stopped/);
      expect(secondRun.code).toBe(130);
      expect(secondRun.stdout).toContain('as the last run left them');
      const before = new Set(ticks(firstRun.stdout).map((tick) => `${tick.policy}@${tick.at}`));
      for (const tick of ticks(secondRun.stdout)) {
        // A tick of the same minute is the same tick: never dispatched twice.
        expect({ ...tick, duplicate: before.has(`${tick.policy}@${tick.at}`) }).toEqual(tick);
      }
    } finally {
      for (const child of children) child.kill();
      await Promise.all(children.map((child) => child.exited()));
      await rm(work, { recursive: true, force: true });
    }
  });
});
