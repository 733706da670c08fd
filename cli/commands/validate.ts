import path from 'node:path';
import { Command, Option } from 'commander';
import { policyRunWindowMinutes, windowRisk } from '../../lambdas/core/plan';
import {
  loadPolicyFile,
  PolicyValidationError,
  type Policy,
  type PolicySet,
} from '../../lambdas/core/policy';
import type { CliContext } from '../cli-context';
import { EXIT } from '../exit-codes';
import { commanderOutput } from '../format/commander-output';
import { parkingLossText, stepsText } from '../format/workflow-text';
import { addPolicyFileOption, type PolicyFileFlags } from '../options/common-options';
import type { CommandFactory } from './index';

interface ValidateFlags extends PolicyFileFlags {
  readonly format: 'text' | 'json';
}

/** One problem as `validate --format json` prints it; `message` is the loader's sentence with received and expected. */
export interface ValidationProblem {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly path: string;
  readonly message: string;
}

/**
 * Loads the policy file `-f` names, relative to the command's working directory. The file is
 * named in messages as the user wrote it when that resolves the same from here.
 */
export async function readPolicyFile(file: string, context: CliContext): Promise<PolicySet> {
  const resolved = path.resolve(context.cwd, file);
  const named = path.resolve(file) === resolved ? file : resolved;
  return loadPolicyFile(named);
}

export const validateCommand: CommandFactory = (context, setExitCode) =>
  addPolicyFileOption(new Command('validate').configureOutput(commanderOutput(context.output)))
    .description(
      'Check a policy file: every problem at once, with file:line:column, path, value and expectation.',
    )
    .addOption(
      new Option('--format <format>', 'text for people, json for scripts')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      `
Exit code 1 when the file has problems; the text form prints the loader's lines,
"file:line:column path: expected ..., got: ...". With --format json, stdout is an array of
{file, line, column, path, message} ([] when the file is valid).
Warnings (stderr, exit code still 0) name policies whose ticks may not start every action
before the next tick at the token's rate (250 a minute, 5,000 an hour).

Examples:
  $ droplet-scheduler validate
  $ droplet-scheduler validate -f examples/policies.yaml
  $ droplet-scheduler validate -f policies.yaml --format json | jq '.[].path'`,
    )
    .action(async (flags: ValidateFlags) => {
      const { output } = context;
      let set: PolicySet;
      try {
        set = await readPolicyFile(flags.file, context);
      } catch (error) {
        if (!(error instanceof PolicyValidationError)) throw error;
        setExitCode(EXIT.badInput);
        if (flags.format === 'json') {
          output.json(error.issues.map(toProblem));
          return;
        }
        for (const line of error.message.split('\n')) output.note(line);
        const count = error.issues.length;
        output.note(output.colors.red(`${count} problem${count === 1 ? '' : 's'} in ${flags.file}`));
        return;
      }
      if (flags.format === 'json') output.json([]);
      else printSummary(set, context);
      printWindowWarnings(set, context);
    });

function toProblem(issue: PolicyValidationError['issues'][number]): ValidationProblem {
  return {
    file: issue.file,
    line: issue.line ?? null,
    column: issue.column ?? null,
    path: issue.path,
    message: issue.message,
  };
}

function printSummary(set: PolicySet, { output }: CliContext): void {
  const { green, dim } = output.colors;
  const count = set.policies.length;
  output.line(green(`${set.file}: ${count} polic${count === 1 ? 'y' : 'ies'}, valid`));
  const disabled = set.policies.filter((policy) => !policy.enabled).map((policy) => policy.name);
  if (disabled.length > 0) output.line(`  disabled: ${disabled.join(', ')}`);
  const expanded = new Map<string, Policy[]>();
  for (const policy of set.policies) {
    if (policy.expandedFrom === undefined) continue;
    expanded.set(policy.expandedFrom, [...(expanded.get(policy.expandedFrom) ?? []), policy]);
  }
  for (const [name, parts] of expanded) {
    const names = parts.map((part) => part.name).join(', ');
    const parking = parts[0]!.parking;
    output.line(
      parking
        ? `  parkSchedule ${name} -> ${names}; may lose: ${parkingLossText(parking)}`
        : `  powerSchedule ${name} -> ${names}`,
    );
  }
  for (const policy of set.policies) {
    const steps = stepsText(policy);
    if (steps !== undefined) output.line(`  steps of ${policy.name}: ${steps}`);
  }
  output.line(dim(`  see when they fire: droplet-scheduler plan -f ${set.file}`));
}

/**
 * A tag whose tick could start at least this many droplets before the next tick needs no note:
 * few accounts have that many droplets at all, and `plan` with a token gives the real count.
 */
const UNREMARKABLE_TAG_CEILING = 10_000;

/**
 * Offline there is no token: id targets have a known count and warn when they do not fit; a tag's
 * count is unknown, and said so only when its ceiling is low enough to matter.
 */
function printWindowWarnings(set: PolicySet, { output }: CliContext): void {
  const now = new Date();
  for (const policy of set.policies) {
    if (!policy.enabled) continue;
    const count = 'dropletIds' in policy.targets ? policy.targets.dropletIds.length : undefined;
    const risk = windowRisk(policy, count, policyRunWindowMinutes(policy, now));
    if (risk && !(risk.kind === 'unknown' && (risk.maxTargets ?? 0) >= UNREMARKABLE_TAG_CEILING))
      output.note(
        `${output.colors.yellow(risk.kind === 'over' ? 'warning:' : 'note:')} ${policy.name}: ${risk.message}`,
      );
  }
}
