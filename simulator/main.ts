import { parseSimulatorCommand } from './cli/simulator-command';
import { startSimulator } from './simulator-server';

/**
 * `npx tsx simulator/main.ts --port 4010 --droplets 50 --tag staging=20`: serves until SIGINT or
 * SIGTERM, then exits 0. Prints the URL, the token when it generated one, and curl examples.
 */
async function main(): Promise<void> {
  const { options, tokenSource } = parseSimulatorCommand(process.argv.slice(2), process.env);
  const simulator = await startSimulator(options);
  const api = `${simulator.url}/v2`;
  const tokenLine =
    tokenSource === 'generated'
      ? `token:  ${simulator.token}   (generated; export DIGITALOCEAN_TOKEN=${simulator.token})`
      : `token:  from ${tokenSource === 'flag' ? '--token' : 'DIGITALOCEAN_TOKEN'}`;
  const firstTag = Object.keys(options.tags ?? {})[0];
  console.log(
    [
      `DigitalOcean API simulator listening on ${simulator.url}`,
      `url:    ${simulator.url}`,
      tokenLine,
      `fleet:  ${options.droplets} droplets${
        firstTag
          ? `, tags ${Object.entries(options.tags ?? {})
              .map(([t, n]) => `${t}=${n}`)
              .join(', ')}`
          : ''
      }; time x${options.timeScale}`,
      '',
      'Try:',
      `  curl -s -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" '${api}/droplets${firstTag ? `?tag_name=${firstTag}` : ''}'`,
      `  curl -s -X POST -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" -H 'Content-Type: application/json' \\`,
      `       -d '{"type":"power_off"}' '${api}/droplets/actions?tag_name=${firstTag ?? 'staging'}'`,
      `  curl -s -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" '${api}/actions?per_page=5'`,
      `  curl -s ${simulator.url}/_simulator/state   # admin API, no token`,
      '',
      'Ctrl-C stops it.',
    ].join('\n'),
  );
  const stop = () => {
    void simulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
