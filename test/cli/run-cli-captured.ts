import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createOutput } from '../../cli/output';
import { runCli } from '../../cli/run-cli';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A CLI run in progress, its output readable while it runs. */
export interface RunningCli {
  stdout(): string;
  stderr(): string;
  readonly done: Promise<CliResult>;
}

/** Starts the CLI in-process with captured, colourless stdout and stderr. */
export function startCliCaptured(
  argv: readonly string[],
  options: {
    env: NodeJS.ProcessEnv;
    cwd: string;
    signal?: AbortSignal;
    /** Sees stdout as it grows, for long-running commands. */
    onStdout?: (soFar: string) => void;
  },
): RunningCli {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const read = (chunks: Buffer[]) => () => Buffer.concat(chunks).toString('utf8');
  stdout.on('data', (chunk: Buffer) => {
    out.push(chunk);
    options.onStdout?.(read(out)());
  });
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const output = createOutput({ stdout, stderr, env: { ...options.env, NO_COLOR: '1' } });
  const done = runCli(argv, {
    output,
    env: options.env,
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  }).then((code) => ({ code, stdout: read(out)(), stderr: read(err)() }));
  return { stdout: read(out), stderr: read(err), done };
}

/** Runs the CLI in-process to its end with captured, colourless stdout and stderr. */
export function runCliCaptured(
  argv: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; signal?: AbortSignal },
): Promise<CliResult> {
  return startCliCaptured(argv, options).done;
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`expected ${what} within ${timeoutMs} ms, got: not yet`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A temporary working directory holding `policies.yaml`; `remove` deletes it with the store inside. */
export async function workDirWithPolicies(yaml: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-cli-'));
  await writeFile(path.join(dir, 'policies.yaml'), yaml);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
