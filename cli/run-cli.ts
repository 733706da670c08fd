import { Command, CommanderError } from 'commander';
import type { CliContext } from './cli-context';
import { commands } from './commands';
import { EXIT, type ExitCode } from './exit-codes';
import { createOutput, type Output } from './output';
import { reportError } from './report-error';

/**
 * Runs the CLI and resolves with the exit code; it never throws and never calls `process.exit`,
 * so that long-running commands can finish what is in flight after a signal. A command that
 * Ctrl-C (SIGINT) stopped resolves with 130 once it has finished; SIGTERM is an orderly stop (0).
 * An `options.signal` aborted with the reason `'SIGINT'` counts as Ctrl-C.
 */
export async function runCli(
  argv: readonly string[],
  options: { output?: Output; env?: NodeJS.ProcessEnv; cwd?: string; signal?: AbortSignal } = {},
): Promise<ExitCode> {
  const output = options.output ?? createOutput();
  const controller = new AbortController();
  // The abort reason says which signal stopped the command; a caller's own signal may pass one too.
  const stop = (reason: unknown) => controller.abort(reason);
  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  if (!options.signal) {
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
  } else if (options.signal.aborted) {
    stop(options.signal.reason);
  } else {
    const external = options.signal;
    external.addEventListener('abort', () => stop(external.reason), { once: true });
  }
  const context: CliContext = {
    output,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    signal: controller.signal,
  };
  let exitCode: ExitCode = EXIT.ok;
  const program = buildProgram(context, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = reportError(error, output, context.env);
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigterm);
  }
  return exitCode === EXIT.ok && controller.signal.reason === 'SIGINT' ? EXIT.interrupted : exitCode;
}

function buildProgram(context: CliContext, setExitCode: (code: ExitCode) => void): Command {
  const outputConfiguration = {
    writeOut: (text: string) => context.output.line(text.trimEnd()),
    writeErr: (text: string) => context.output.note(text.trimEnd()),
  };
  const program = new Command('droplet-scheduler')
    .description('Cron-like policies for DigitalOcean Droplets, with an action ledger you can audit.')
    .version(versionOf(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput(outputConfiguration)
    .addHelpText(
      'after',
      `
The DigitalOcean token is read only from DIGITALOCEAN_TOKEN, never from a flag.
Exit codes: 0 success, 1 bad input (policies, flags, settings), 2 runtime failure,
130 stopped by Ctrl-C (after finishing what was in flight); SIGTERM stops in order and exits 0.

Examples:
  $ droplet-scheduler validate -f policies.yaml
  $ droplet-scheduler plan -f policies.yaml --count 5
  $ droplet-scheduler local -f examples/policies.yaml --simulate --run-now
  $ droplet-scheduler audit --droplet 42 --since 7d --status errored`,
    );
  for (const create of commands) {
    program.addCommand(create(context, setExitCode));
  }
  program.exitOverride();
  // addCommand does not pass the program's settings down: every subcommand's help and errors go
  // through the same redacting output, and none of them calls process.exit.
  for (const command of program.commands) command.exitOverride().configureOutput(outputConfiguration);
  return program;
}

function versionOf(): string {
  // This file is cli/run-cli.ts in a clone and dist/cli/run-cli.js in the installed package: the
  // package's manifest is one folder up in the first, two in the second.
  for (const manifest of ['../package.json', '../../package.json']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require(manifest) as { version: string }).version;
    } catch {
      // Not at this level; try the next.
    }
  }
  return 'unknown';
}

export { CommanderError };
