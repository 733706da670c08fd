import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import type { ExitCode } from '../exit-codes';
import { auditCommand } from './audit';
import { localCommand } from './local';
import { reconcileCommand } from './reconcile';
import { planCommand } from './plan';
import { runCommand } from './run';
import { simulatorCommand } from './simulator';
import { snoozeCommand } from './snooze';
import { validateCommand } from './validate';

/** Builds one subcommand; `setExitCode` lets a command end non-zero without throwing (e.g. `validate`). */
export type CommandFactory = (context: CliContext, setExitCode: (code: ExitCode) => void) => Command;

/** Every subcommand, in the order `--help` lists them. */
export const commands: CommandFactory[] = [
  validateCommand,
  planCommand,
  runCommand,
  reconcileCommand,
  localCommand,
  auditCommand,
  snoozeCommand,
  simulatorCommand,
];
