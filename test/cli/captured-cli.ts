import { PassThrough } from 'node:stream';
import { createOutput } from '../../cli/output';
import { runCli } from '../../cli/run-cli';

export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process, as a script would see it: no TTY, no colour, stdout and stderr apart. */
export async function runCaptured(
  argv: readonly string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    signal?: AbortSignal;
    /** Sees stdout as it grows, for long-running commands. */
    onStdout?: (soFar: string) => void;
  } = {},
): Promise<CapturedRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    options.onStdout?.(out);
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const env = options.env ?? { PATH: process.env.PATH };
  const code = await runCli(argv, {
    output: createOutput({ stdout, stderr, env: { ...env, NO_COLOR: '1' } }),
    env,
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
  });
  return { code, stdout: out, stderr: err };
}
