import pc from 'picocolors';
import { redactSecrets } from '../lambdas/core/security/redact-secrets';

export type Colors = ReturnType<typeof pc.createColors>;

/** Where a command writes: people get colour on a TTY, scripts get plain text; both get no secrets. */
export interface Output {
  /** A line of the command's result, on stdout. */
  line(text?: string): void;
  /** A JSON document on stdout, for `--json` / `--format json`. */
  json(value: unknown): void;
  /** Progress and warnings, on stderr, so that stdout stays parseable. */
  note(text: string): void;
  readonly colors: Colors;
  /** True when stdout is a terminal: progress bars and tables are welcome. */
  readonly interactive: boolean;
}

export interface OutputStreams {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Secrets the process knows (the token) and that must never be printed, whatever their shape. */
const knownSecrets: string[] = [];

export function registerSecret(secret: string): void {
  knownSecrets.push(secret);
}

export function createOutput(
  streams: OutputStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Output {
  const interactive = streams.stdout.isTTY === true;
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  const colour = interactive && !streams.env.NO_COLOR && streams.env.TERM !== 'dumb';
  const clean = (text: string) => redactSecrets(text, knownSecrets);
  return {
    line: (text = '') => void streams.stdout.write(`${clean(text)}\n`),
    json: (value) => void streams.stdout.write(`${clean(JSON.stringify(value, null, 2))}\n`),
    note: (text) => void streams.stderr.write(`${clean(text)}\n`),
    colors: pc.createColors(colour),
    interactive,
  };
}
