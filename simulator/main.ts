import { simulatorBanner } from './cli/simulator-banner';
import { parseSimulatorCommand } from './cli/simulator-command';
import { startSimulator } from './simulator-server';

/**
 * `npx tsx simulator/main.ts --port 4010 --droplets 50 --tag staging=20`: serves until SIGINT or
 * SIGTERM, then exits 0. Prints the URL, the token when it generated one, and curl examples.
 */
async function main(): Promise<void> {
  const { options, tokenSource } = parseSimulatorCommand(process.argv.slice(2), process.env);
  const simulator = await startSimulator(options);
  const tokenLine =
    tokenSource === 'generated'
      ? `${simulator.token}   (generated; export DIGITALOCEAN_TOKEN=${simulator.token})`
      : `from ${tokenSource === 'flag' ? '--token' : 'DIGITALOCEAN_TOKEN'}`;
  const stop = () => {
    void simulator.close().then(() => process.exit(0));
  };
  // Before the banner: whoever reads "Ctrl-C stops it" may send the signal at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const generated = tokenSource === 'generated' ? simulator.token : undefined;
  console.log(simulatorBanner(simulator.url, options, tokenLine, generated, simulator.stateNote).join('\n'));
}

main().catch((error: unknown) => {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
