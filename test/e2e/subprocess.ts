import { spawn, type ChildProcess } from 'node:child_process';

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A child process whose output is collected; `kill` is safe to call at any time, more than once. */
export interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exits; a process still running after `timeoutMs` is killed and the promise rejects. */
  finished(timeoutMs: number): Promise<Finished>;
  /** SIGTERM, then SIGKILL three seconds later if it is still running. */
  kill(): void;
  /** Resolves when the process has exited (at once if it already has). */
  exited(): Promise<void>;
}

export function startChild(
  command: string,
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    /** Its own process group, so that a test can signal the group as a terminal's Ctrl-C does. */
    detached?: boolean;
  },
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (!running()) return;
    // SIGTERM lets the simulator and the CLI close their servers; SIGKILL if they do not.
    // A detached child leads its own group: signal the group, so that npm's child goes too.
    const send = (signal: NodeJS.Signals) =>
      options.detached ? process.kill(-child.pid!, signal) : child.kill(signal);
    send('SIGTERM');
    setTimeout(() => running() && send('SIGKILL'), 3000).unref();
  };
  return {
    process: child,
    stdout: () => out,
    stderr: () => err,
    kill,
    exited: async () => void (await exited),
    finished: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          kill();
          reject(
            new Error(
              `expected ${command} ${args.join(' ')} to finish within ${timeoutMs} ms; stderr: ${err}`,
            ),
          );
        }, timeoutMs);
      });
      try {
        const code = await Promise.race([exited, timedOut]);
        // Let the pipes deliver what the process wrote last.
        await new Promise((resolve) => setImmediate(resolve));
        return { code, stdout: out, stderr: err };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
