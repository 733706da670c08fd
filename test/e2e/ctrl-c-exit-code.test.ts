import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './subprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const LOCAL_ARGS = ['local', '-f', 'examples/policies.yaml', '--simulate', '--run-now'];

/**
 * A project that looks like a clone to npm: the repository's own name, `bin` and `start` script,
 * with `bin/` and `examples/` linked in, so that `npm start` and `npx droplet-scheduler` run as
 * they do in a clone while the store lands in a temporary directory.
 */
async function cloneLikeProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-ctrl-c-'));
  const manifest = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    bin: Record<string, string>;
    scripts: Record<string, string>;
  };
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: manifest.name,
      version: manifest.version,
      private: true,
      bin: manifest.bin,
      scripts: { start: manifest.scripts.start },
    }),
  );
  await symlink(path.join(ROOT, 'bin'), path.join(dir, 'bin'));
  await symlink(path.join(ROOT, 'examples'), path.join(dir, 'examples'));
  return dir;
}

/**
 * Ctrl-C as a terminal sends it, SIGINT to the whole foreground process group (npm and its
 * child), and the status a shell then reports: the exit code, or 128 + the signal that ended it.
 */
async function ctrlC(child: Child): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (!/store: .*Ctrl-C stops/.test(child.stdout())) {
    if (Date.now() > deadline || child.process.exitCode !== null)
      throw new Error(`expected the scheduler to start, got: ${child.stdout()}${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(-child.process.pid!, 'SIGINT');
  const { code } = await child.finished(60_000);
  const signal = child.process.signalCode;
  return code ?? 128 + (signal ? constants.signals[signal] : 0);
}

describe('Ctrl-C, however the scheduler was started', () => {
  test('given `npm start`, `npx droplet-scheduler local` and the bin shim, when Ctrl-C stops each, then each exits 130', async () => {
    const dir = await cloneLikeProject();
    // offline: npx must find the project's own bin, never fetch a package of that name.
    const env = { ...process.env, NO_COLOR: '1', DIGITALOCEAN_TOKEN: '', npm_config_offline: 'true' };
    const ways: [string, string, string[]][] = [
      ['npm start', 'npm', ['start']],
      ['npx', 'npx', ['droplet-scheduler', ...LOCAL_ARGS]],
      ['bin shim', process.execPath, ['bin/droplet-scheduler.cjs', ...LOCAL_ARGS]],
    ];
    const codes: Record<string, number> = {};
    try {
      for (const [name, command, args] of ways) {
        const child = startChild(command, args, { cwd: dir, env, detached: true });
        try {
          codes[name] = await ctrlC(child);
        } finally {
          child.kill();
          await child.exited();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    expect(codes).toEqual({ 'npm start': 130, npx: 130, 'bin shim': 130 });
  }, 240_000);
});
