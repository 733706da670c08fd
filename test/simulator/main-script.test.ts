import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * One process: node with tsx's loader, not the `tsx` launcher. The launcher runs the script in a
 * child and relays a signal to it; when the child has not confirmed within 30 ms, it kills the
 * child and exits 143 itself. On a busy machine that window is missed, and the test then checked
 * the launcher's timing instead of the script's own SIGINT/SIGTERM handling.
 */
function run(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'simulator', 'main.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DIGITALOCEAN_TOKEN: '', ...env },
  });
}

/** Collects stdout until `pattern` matches, failing after `timeoutMs`. */
function waitFor(child: ChildProcessWithoutNullStreams, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no match for ${pattern} within ${timeoutMs} ms: ${output}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before printing ${pattern}: ${output}`));
    });
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('simulator/main.ts', () => {
  it('given --droplets 20 --tag staging=5, it prints its URL and token, serves 5 staging droplets, and exits 0 on SIGTERM', async () => {
    const child = run(['--port', '0', '--droplets', '20', '--tag', 'staging=5', '--time-scale', '60']);
    const exited = exitOf(child);
    try {
      const output = await waitFor(child, /Ctrl-C/, 20_000);
      const url = /url:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      const token = /token:\s+(dop_v1_[0-9a-f]{64})/.exec(output)?.[1];

      const response = await fetch(`${url}/v2/droplets?tag_name=staging`, {
        headers: { authorization: `Bearer ${token}` },
      });

      expect(((await response.json()) as { droplets: unknown[] }).droplets).toHaveLength(5);
      expect(output).toContain('curl');
    } finally {
      child.kill('SIGTERM');
    }
    expect((await exited).code).toBe(0);
  }, 30_000);

  it('takes the token from DIGITALOCEAN_TOKEN and does not print it', async () => {
    const token = `dop_v1_${'ab'.repeat(32)}`;
    const child = run(['--port', '0'], { DIGITALOCEAN_TOKEN: token });
    const exited = exitOf(child);
    try {
      const output = await waitFor(child, /Ctrl-C/, 20_000);

      expect(output).toContain('token:  from DIGITALOCEAN_TOKEN');
      expect(output).not.toContain(token);
    } finally {
      child.kill('SIGINT');
    }
    expect((await exited).code).toBe(0);
  }, 30_000);

  it.each([
    [
      ['--port', 'abc'],
      /option '--port <number>' argument 'abc' is invalid\. expected an integer from 0 to 65535/,
    ],
    [['--tag', 'staging'], /option '--tag <name=count>' argument 'staging' is invalid\. expected NAME=COUNT/],
    [['--droplets', '3', '--tag', 'staging=5'], /'--tag staging=5' is invalid\. expected at most 3/],
  ])(
    'given %j, it prints one line naming the flag and value and exits 1',
    async (args, message) => {
      const { code, stderr } = await exitOf(run(args));

      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    },
    30_000,
  );
});
