import type { SimulatorOptions } from '../options';

/**
 * What a started simulator prints: where it listens, which token it accepts (`tokenLine`, chosen
 * by the caller so that a given token is never printed), the fleet, the `export` line that points
 * droplet-scheduler at it (with `generatedToken` when the simulator made one up), and curl examples.
 */
export function simulatorBanner(
  url: string,
  options: Pick<SimulatorOptions, 'droplets' | 'tags' | 'timeScale'>,
  tokenLine: string,
  generatedToken?: string,
  /** What happened to the state file (`SimulatorHandle.stateNote`), when there is one. */
  stateNote?: string,
): string[] {
  const api = `${url}/v2`;
  const tags = Object.entries(options.tags ?? {});
  const firstTag = tags[0]?.[0];
  return [
    `DigitalOcean API simulator listening on ${url}`,
    `url:    ${url}`,
    `token:  ${tokenLine}`,
    `fleet:  ${options.droplets ?? 10} droplets${
      firstTag ? `, tags ${tags.map(([t, n]) => `${t}=${n}`).join(', ')}` : ''
    }; time x${options.timeScale ?? 1}`,
    ...(stateNote ? [`state:  ${stateNote}`] : []),
    '',
    'Point droplet-scheduler at it (paste into this shell):',
    `  export DIGITALOCEAN_API_URL=${url}${generatedToken ? ` DIGITALOCEAN_TOKEN=${generatedToken}` : ''}`,
    '',
    'Try:',
    `  curl -s -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" '${api}/droplets${firstTag ? `?tag_name=${firstTag}` : ''}'`,
    `  curl -s -X POST -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" -H 'Content-Type: application/json' \\`,
    `       -d '{"type":"power_off"}' '${api}/droplets/actions?tag_name=${firstTag ?? 'staging'}'`,
    `  curl -s -H "Authorization: Bearer $DIGITALOCEAN_TOKEN" '${api}/actions?per_page=5'`,
    `  curl -s ${url}/_simulator/state   # admin API, no token`,
    '',
    'Ctrl-C stops it.',
  ];
}
