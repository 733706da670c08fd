import { startCliCaptured, type CliResult } from './run-cli-captured';

export type CapturedRun = CliResult;

/**
 * Runs the CLI in-process, as a script would see it: no TTY, no colour, stdout and stderr apart;
 * by default with only PATH in the environment and this process's working directory.
 */
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
  return startCliCaptured(argv, {
    ...options,
    env: options.env ?? { PATH: process.env.PATH },
    cwd: options.cwd ?? process.cwd(),
  }).done;
}
