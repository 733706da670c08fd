import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Command } from 'commander';
import { startSimulator } from '../../simulator';
import { simulatorBanner } from '../../simulator/cli/simulator-banner';
import {
  addSimulatorOptions,
  simulatorOptionsFrom,
  type SimulatorFlags,
} from '../../simulator/cli/simulator-command';
import { commanderOutput } from '../format/commander-output';
import { registerSecret } from '../output';
import type { CommandFactory } from './index';

/**
 * A token for a simulator started without DIGITALOCEAN_TOKEN. It is deliberately not in
 * DigitalOcean's `dop_v1_` shape: output redacts anything that looks like a real token, and this
 * one must be printed so that the user can export it. The simulator accepts any bearer string.
 */
function simulatorOnlyToken(): string {
  return `sim_${randomBytes(24).toString('hex')}`;
}

export const simulatorCommand: CommandFactory = (context) => {
  const command = addSimulatorOptions(
    new Command('simulator').configureOutput(commanderOutput(context.output)),
    { tokenFlag: false },
  );
  return command
    .description('Serve the built-in DigitalOcean API simulator until Ctrl-C (SIGINT or SIGTERM).')
    .addHelpText(
      'after',
      `
The simulator accepts the token in DIGITALOCEAN_TOKEN (never printed), or, when that is unset, a
generated simulator-only token that it prints for you to export. Point the other commands at it
with --api-url or DIGITALOCEAN_API_URL. The same flags work for "npx tsx simulator/main.ts".

Examples:
  $ droplet-scheduler simulator --droplets 50 --tag staging=20 --tag production=10
  $ droplet-scheduler simulator --port 0 --time-scale 60 --action-error-rate 0.05
  $ DIGITALOCEAN_TOKEN=$TOKEN droplet-scheduler simulator --per-minute 25 --window-scale 10`,
    )
    .action(async (flags: SimulatorFlags) => {
      const { output, signal } = context;
      const { options, tokenSource } = simulatorOptionsFrom(flags, context.env, (message) =>
        command.error(message),
      );
      const token = options.token ?? simulatorOnlyToken();
      if (tokenSource === 'env') registerSecret(token);
      const simulator = await startSimulator({ ...options, token });
      try {
        const tokenLine =
          tokenSource === 'env'
            ? 'from DIGITALOCEAN_TOKEN'
            : `${token}   (generated; export DIGITALOCEAN_TOKEN=${token})`;
        const generated = tokenSource === 'env' ? undefined : token;
        for (const line of simulatorBanner(
          simulator.url,
          options,
          tokenLine,
          generated,
          simulator.stateNote,
        )) {
          output.line(line);
        }
        if (!signal.aborted) await once(signal, 'abort');
      } finally {
        await simulator.close();
      }
      output.note('simulator stopped');
    });
};
