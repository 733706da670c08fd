import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: ids-off
    schedule: cron(0 20 * * ? *)
    targets: { dropletIds: [400000001, 400000002] }
    action: { type: power_off }
  - name: web-reboot
    schedule: cron(0 3 * * ? *)
    targets: { tag: web }
    action: { type: reboot }
`;

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `run ids-off` started on a simulator whose two droplets never finish an action, so that there are
 * open actions to reconcile; `timeScale` for both, or DigitalOcean's own pace.
 */
async function stuckPowerOffs(timeScale?: number): Promise<{
  simulator: SimulatorHandle;
  work: Awaited<ReturnType<typeof workDirWithPolicies>>;
}> {
  const simulator = await startSimulator({
    droplets: 2,
    ...(timeScale === undefined ? {} : { timeScale }),
    faults: { stuckDropletIds: [400000001, 400000002] },
  });
  const work = await workDirWithPolicies(POLICIES);
  const scaled = timeScale === undefined ? [] : ['--time-scale', String(timeScale)];
  const run = await runCliCaptured(['run', 'ids-off', ...scaled], {
    env: { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url },
    cwd: work.dir,
  });
  expect(run.stdout).toMatch(/started\s+2/);
  return { simulator, work };
}

describe('a DigitalOcean API that cannot be reached', () => {
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let deadUrl: string;
  const env = { DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` };

  beforeEach(async () => {
    work = await workDirWithPolicies(POLICIES);
    deadUrl = `http://127.0.0.1:${await closedPort()}`;
  });
  afterEach(async () => {
    await work.remove();
  });

  test('given a policy by droplet ids, when run against a dead URL, then it exits 2 within seconds with one line naming ECONNREFUSED, the URL and the request', async () => {
    // The tick's first request is a skip-tag list (GET /v2/droplets?tag_name=droplet-scheduler-skip…):
    // its failure fails the dispatch at once, as a tag's list does, with the run recorded failed.
    const started = Date.now();
    const result = await runCliCaptured(['run', 'ids-off', '--api-url', deadUrl], { env, cwd: work.dir });
    const elapsedMs = Date.now() - started;

    expect(result.code).toBe(2);
    expect(elapsedMs).toBeLessThan(35_000);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`DigitalOcean unreachable at ${deadUrl}`);
    expect(errors[0]).toMatch(/GET \/v2\/droplets\?tag_name=droplet-scheduler-skip/);
    expect(errors[0]).toContain('ECONNREFUSED');
    expect(result.stdout).not.toMatch(/retrying\s+2/);
  }, 50_000);

  test('given --wait-timeout 2s, when run against a dead URL, then it gives up within seconds', async () => {
    const started = Date.now();
    const result = await runCliCaptured(['run', 'ids-off', '--api-url', deadUrl, '--wait-timeout', '2s'], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(result.stderr).toMatch(
      /DigitalOcean unreachable at http:\/\/127\.0\.0\.1:\d+( for \d s)?: GET \/v2\/droplets\?tag_name=.*ECONNREFUSED/,
    );
  }, 30_000);

  test('given a bad --wait-timeout, then exit 1 naming the flag', async () => {
    const result = await runCliCaptured(['run', 'ids-off', '--api-url', deadUrl, '--wait-timeout', 'soon'], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "--wait-timeout: expected a duration such as 90s, 10m or 1h, got: 'soon'",
    );
  });

  test('given a DigitalOcean that answers only 503, when run, then that counts as unreachable too', async () => {
    const server: Server = createHttpServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"id":"service_unavailable","message":"try later"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const result = await runCliCaptured(['run', 'web-reboot', '--api-url', url, '--wait-timeout', '2s'], {
        env,
        cwd: work.dir,
      });

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`DigitalOcean unreachable at ${url}`);
      expect(result.stderr).toContain('HTTP 503');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);

  test('given a dead URL, when local starts, then it exits 2 at start-up naming the cause, instead of waiting for a tick', async () => {
    const started = Date.now();
    const result = await runCliCaptured(['local', '--api-url', deadUrl], { env, cwd: work.dir });

    expect(result.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(35_000);
    expect(result.stderr).toMatch(
      new RegExp(
        `error: DigitalOcean unreachable at ${deadUrl.replace(/\./g, '\\.')}: GET /v2/droplets\\?per_page=1: .*ECONNREFUSED`,
      ),
    );
  }, 50_000);
});

describe('reconcile when DigitalOcean goes away', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;

  beforeEach(async () => {
    ({ simulator, work } = await stuckPowerOffs(600));
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test.each([
    ['one pass', []],
    ['--until-settled', ['--until-settled', '--wait-timeout', '3s']],
  ])(
    'given open actions and a dead URL, when reconcile runs (%s), then it exits 2 within 35 s naming ECONNREFUSED and the URL',
    async (_name, extra) => {
      const deadUrl = `http://127.0.0.1:${await closedPort()}`;
      const started = Date.now();
      // Time-scaled as the simulator was, so that the actions are due for a check at once.
      const result = await runCliCaptured(
        ['reconcile', '--api-url', deadUrl, '--time-scale', '600', ...extra],
        {
          env: { DIGITALOCEAN_TOKEN: simulator.token },
          cwd: work.dir,
        },
      );

      expect(result.code).toBe(2);
      expect(Date.now() - started).toBeLessThan(35_000);
      expect(result.stderr).toContain(`error: DigitalOcean unreachable at ${deadUrl}`);
      expect(result.stderr).toContain('ECONNREFUSED');
      expect(result.stderr).not.toContain(simulator.token);
    },
    50_000,
  );
});

describe('reconcile before anything is due for a look', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;

  beforeEach(async () => {
    // No time scale: at DigitalOcean's own pace the first look at a power_off is a while away.
    ({ simulator, work } = await stuckPowerOffs());
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given open actions not yet due for a look, when one pass runs against a dead URL, then it says DigitalOcean was not asked instead of implying it checked', async () => {
    const deadUrl = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCliCaptured(['reconcile', '--api-url', deadUrl], {
      env: { DIGITALOCEAN_TOKEN: simulator.token },
      cwd: work.dir,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/still open\s+2/);
    expect(result.stderr).toMatch(
      /none of the 2 open action\(s\) was due for a look yet \(the next at \d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z\), so DigitalOcean was not asked; --until-settled follows them until they end/,
    );
  }, 30_000);
});
