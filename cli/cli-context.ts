import type { Output } from './output';

/** What every command gets from the entry point, so that tests can run commands in-process. */
export interface CliContext {
  readonly output: Output;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands finish what is in flight and return. */
  readonly signal: AbortSignal;
}
