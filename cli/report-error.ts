import { CommanderError } from 'commander';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import { DigitalOceanError } from '../lambdas/core/errors/digitalocean-error';
import { DropletSchedulerError } from '../lambdas/core/errors/droplet-scheduler-error';
import { UnauthorizedError } from '../lambdas/core/errors/unauthorized-error';
import { EXIT, type ExitCode } from './exit-codes';
import type { Output } from './output';

/** Error codes that mean the user's input is wrong (exit 1); anything else failed at run time (exit 2). */
const BAD_INPUT_CODES = new Set([
  'usage',
  'policy_invalid',
  'schedule_invalid',
  'configuration_invalid',
  'file_not_found',
]);

/**
 * Turns any failure into one clear message and an exit code. Never a stack trace: set
 * DROPLET_SCHEDULER_DEBUG=1 to see one.
 */
export function reportError(error: unknown, output: Output, env: NodeJS.ProcessEnv = process.env): ExitCode {
  const { red } = output.colors;
  if (error instanceof CommanderError) {
    // commander has already printed its own one-line message.
    return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (env.DROPLET_SCHEDULER_DEBUG && error instanceof Error && error.stack) output.note(error.stack);
  if (error instanceof UnauthorizedError) {
    output.note(
      `${red('error:')} ${error.message}\n  check DIGITALOCEAN_TOKEN: it must be valid and have the scopes the policies' actions need`,
    );
    return EXIT.badInput;
  }
  if (error instanceof DigitalOceanError) {
    output.note(`${red('error:')} ${error.message}`);
    return EXIT.runtime;
  }
  if (
    error instanceof ConfigurationError ||
    (error instanceof DropletSchedulerError && BAD_INPUT_CODES.has(error.code))
  ) {
    output.note(`${red('error:')} ${error.message}`);
    return EXIT.badInput;
  }
  if (error instanceof DropletSchedulerError) {
    output.note(`${red('error:')} ${error.message}`);
    return EXIT.runtime;
  }
  const message = error instanceof Error ? error.message : String(error);
  output.note(`${red('error:')} ${message}`);
  return EXIT.runtime;
}
