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

/** Runs the CLI in-process with captured, colourless stdout and stderr. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; signal?: AbortSignal },
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const output = createOutput({ stdout, stderr, env: { ...options.env, NO_COLOR: '1' } });
  const code = await runCli(argv, {
    output,
    env: options.env,
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** A temporary working directory holding `policies.yaml`; `remove` deletes it with the store inside. */
export async function workDirWithPolicies(yaml: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-cli-'));
  await writeFile(path.join(dir, 'policies.yaml'), yaml);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
