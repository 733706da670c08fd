import { Command, InvalidArgumentError, Option } from 'commander';
import type { SimulatorOptions } from '../options';

function integer(min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
    }
    return value;
  };
}

function positiveNumber(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError('expected a number greater than 0.');
  }
  return value;
}

function share(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError('expected a number from 0 to 1.');
  }
  return value;
}

function tagCount(raw: string, previous: Record<string, number> | undefined): Record<string, number> {
  const match = /^([a-zA-Z0-9_:-]{1,255})=(\d+)$/.exec(raw);
  if (!match) throw new InvalidArgumentError('expected NAME=COUNT, e.g. staging=20.');
  return { ...previous, [match[1]!]: Number(match[2]) };
}

/** What the script's flags ask for, beside the simulator options. */
export interface SimulatorCommandResult {
  readonly options: SimulatorOptions & { readonly port: number };
  /** Where the token came from, so that the script prints a generated one and never a given one. */
  readonly tokenSource: 'flag' | 'env' | 'generated';
}

/** The flags `addSimulatorOptions` defines, as commander hands them over. */
export interface SimulatorFlags {
  readonly port: number;
  readonly host: string;
  readonly droplets: number;
  readonly tag?: Record<string, number>;
  readonly token?: string;
  readonly timeScale: number;
  readonly seed: number;
  readonly perMinute: number;
  readonly perHour: number;
  readonly windowScale: number;
  readonly rateLimit: boolean;
  readonly actionErrorRate: number;
  readonly serverErrorRate?: number;
  readonly latencyMs?: number;
  readonly dropAfterProcessRate?: number;
  readonly stuckActionRate?: number;
  readonly stateFile?: string;
  readonly actionListOrder?: 'newest-first' | 'oldest-first';
}

/**
 * Adds the simulator's flags to a command: the one definition behind both `simulator/main.ts`
 * and `droplet-scheduler simulator`, so that the two never drift.
 */
export function addSimulatorOptions(
  command: Command,
  options: {
    /**
     * Whether to offer `--token`. The droplet-scheduler CLI reads tokens only from the environment.
     * @default true
     */
    readonly tokenFlag?: boolean;
  } = {},
): Command {
  command
    .option('--port <number>', 'TCP port (0 picks a free one)', integer(0, 65535), 4010)
    .option('--host <address>', 'interface to listen on', '127.0.0.1')
    .option('--droplets <count>', 'droplets to generate', integer(0, 1_000_000), 10)
    .option('--tag <name=count>', 'tag COUNT droplets with NAME (repeatable)', tagCount);
  if (options.tokenFlag !== false) {
    command.option(
      '--token <token>',
      'the bearer token to accept (default: $DIGITALOCEAN_TOKEN, else a generated one)',
    );
  }
  return command
    .option(
      '--time-scale <factor>',
      'actions run this many times faster than on the real API',
      positiveNumber,
      1,
    )
    .option('--seed <number>', 'seed for names, sizes and faults', integer(0, 2 ** 32 - 1), 1)
    .option('--per-minute <count>', 'rate limit per sliding minute', integer(1, 1_000_000), 250)
    .option('--per-hour <count>', 'rate limit per sliding hour', integer(1, 100_000_000), 5000)
    .option('--window-scale <factor>', 'shrink both rate-limit windows by this factor', positiveNumber, 1)
    .option('--no-rate-limit', 'turn the rate limits off')
    .option('--action-error-rate <share>', 'share of actions that end errored (0 to 1)', share, 0)
    .addOption(
      new Option('--server-error-rate <share>', 'share of requests answered 500/503 (0 to 1)').argParser(
        share,
      ),
    )
    .addOption(new Option('--latency-ms <ms>', 'added latency per request').argParser(integer(0, 600_000)))
    .addOption(
      new Option(
        '--drop-after-process-rate <share>',
        'share of POSTs carried out, then cut off (0 to 1)',
      ).argParser(share),
    )
    .addOption(
      new Option('--stuck-action-rate <share>', 'share of actions that never finish (0 to 1)').argParser(
        share,
      ),
    )
    .option(
      '--state-file <path>',
      'keep the account in this file: resumed on start, saved before every answer that changed it',
    )
    .addOption(
      new Option('--action-list-order <order>', 'the order action lists are read in').choices([
        'newest-first',
        'oldest-first',
      ]),
    )
    .allowExcessArguments(false);
}

/**
 * The simulator options the flags ask for. `fail` reports a problem across flags (more tagged
 * droplets than droplets) in commander's one-line form and does not return.
 */
export function simulatorOptionsFrom(
  flags: SimulatorFlags,
  env: NodeJS.ProcessEnv,
  fail: (message: string) => never,
): SimulatorCommandResult {
  const tags = flags.tag ?? {};
  for (const [tag, count] of Object.entries(tags)) {
    if (count > flags.droplets) {
      fail(
        `error: option '--tag ${tag}=${count}' is invalid. expected at most ${flags.droplets} (--droplets).`,
      );
    }
  }
  const envToken = env.DIGITALOCEAN_TOKEN?.trim() || undefined;
  const token = flags.token ?? envToken;
  return {
    tokenSource: flags.token ? 'flag' : envToken ? 'env' : 'generated',
    options: {
      port: flags.port,
      host: flags.host,
      droplets: flags.droplets,
      tags,
      token,
      timeScale: flags.timeScale,
      seed: flags.seed,
      rateLimit: flags.rateLimit
        ? { perMinute: flags.perMinute, perHour: flags.perHour, windowScale: flags.windowScale }
        : false,
      actionErrorRate: flags.actionErrorRate,
      ...(flags.stateFile === undefined ? {} : { stateFile: flags.stateFile }),
      ...(flags.actionListOrder === undefined ? {} : { actionListOrder: flags.actionListOrder }),
      faults: {
        serverErrorRate: flags.serverErrorRate ?? 0,
        latencyMs: flags.latencyMs ?? 0,
        dropAfterProcessRate: flags.dropAfterProcessRate ?? 0,
        stuckActionRate: flags.stuckActionRate ?? 0,
      },
    },
  };
}

/**
 * The `simulator/main.ts` command line. Bad values stop with commander's one line naming the
 * flag, the value and what was expected, and exit code 1.
 */
export function parseSimulatorCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): SimulatorCommandResult {
  const program = addSimulatorOptions(
    new Command('simulator').description('A stateful DigitalOcean API simulator on a real HTTP server.'),
  ).exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 1));
  program.parse([...argv], { from: 'user' });
  return simulatorOptionsFrom(program.opts<SimulatorFlags>(), env, (message) => program.error(message));
}
