import { runCaptured, type CapturedRun } from './captured-cli';

/** Starts `simulator` in-process and resolves once its banner is out, with a way to stop it. */
function startSimulatorCommand(
  flags: string[],
  env: NodeJS.ProcessEnv = {},
): { banner: Promise<string>; stop(): Promise<CapturedRun> } {
  const controller = new AbortController();
  let resolveBanner!: (text: string) => void;
  const banner = new Promise<string>((resolve) => (resolveBanner = resolve));
  const run = runCaptured(['simulator', '--port', '0', ...flags], {
    env,
    signal: controller.signal,
    onStdout: (soFar) => {
      if (soFar.includes('Ctrl-C stops it.')) resolveBanner(soFar);
    },
  });
  // A run that ends early (bad flags) must not leave the banner waiting forever.
  void run.then((result) => resolveBanner(result.stdout));
  return {
    banner,
    stop: async () => {
      controller.abort();
      return run;
    },
  };
}

describe('simulator command', () => {
  // A failed expectation must not leave a server listening.
  const afterStop: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(afterStop.splice(0).map((stop) => stop()));
  });

  test('given a fleet and a tag, when started, then it serves them with a generated token it prints, and stops with exit 0 on abort', async () => {
    const command = startSimulatorCommand(['--droplets', '12', '--tag', 'staging=5', '--time-scale', '60']);
    afterStop.push(command.stop);
    const banner = await command.banner;
    const url = /url:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    const token = /token:\s+(sim_[0-9a-f]{48})\s+\(generated; export DIGITALOCEAN_TOKEN=/.exec(banner)?.[1];
    expect(url).toBeDefined();
    expect(token).toBeDefined();
    expect(banner).toContain('fleet:  12 droplets, tags staging=5; time x60');

    const response = await fetch(`${url}/v2/droplets?tag_name=staging`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await response.json()) as { droplets: unknown[] }).droplets).toHaveLength(5);

    const result = await command.stop();
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('simulator stopped');
    await expect(fetch(`${url}/_simulator/state`)).rejects.toThrow();
  });

  test('given DIGITALOCEAN_TOKEN, when started, then it accepts that token and never prints it', async () => {
    const token = ['dop', 'v1', 'cd'.repeat(32)].join('_');
    const command = startSimulatorCommand(['--per-hour', '4000'], { DIGITALOCEAN_TOKEN: token });
    let result: CapturedRun | undefined;
    try {
      const banner = await command.banner;
      const url = /url:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1];
      expect(banner).toContain('token:  from DIGITALOCEAN_TOKEN');
      const response = await fetch(`${url}/v2/droplets`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe('4000');
    } finally {
      result = await command.stop();
    }
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(token);
  });

  test.each([
    [['--droplets', '3', '--tag', 'staging=5'], "'--tag staging=5' is invalid. expected at most 3"],
    [['--port', 'abc'], "argument 'abc' is invalid. expected an integer from 0 to 65535"],
    [['--time-scale', '0'], "argument '0' is invalid. expected a number greater than 0"],
    [['--token', 'x'], "unknown option '--token'"],
  ])('given %j, when started, then one line and exit code 1', async (flags, message) => {
    const result = await startSimulatorCommand(flags).stop();
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  test('given --help, then it lists the simulator flags with examples', async () => {
    const result = await runCaptured(['simulator', '--help']);
    expect(result.code).toBe(0);
    for (const flag of ['--time-scale', '--tag', '--droplets', '--per-minute', '--stuck-action-rate'])
      expect(result.stdout).toContain(flag);
    expect(result.stdout).toContain('$ droplet-scheduler simulator --droplets 50 --tag staging=20');
  });
});
