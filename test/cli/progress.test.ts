import { describeWait } from '../../cli/progress/describe-wait';
import { RateLimiter } from '../../lambdas/adapters/digitalocean';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCliCaptured, startCliCaptured, waitFor, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: busy-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001] }
    action: { type: reboot }
  - name: one-snapshot
    schedule: cron(0 2 * * ? *)
    targets: { dropletIds: [400000002] }
    action: { type: snapshot }
`;

/** No carriage returns and no escape codes: what a script or a log file must get. */
// eslint-disable-next-line no-control-regex -- the escape character is exactly what must not appear
const PLAIN = /^[^\r\x1b]*$/;

describe('progress that never goes quiet (captured output: not a terminal, NO_COLOR)', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    // Time runs 60 times faster: a snapshot of 2 GB takes seconds, long enough to wait for.
    simulator = await startSimulator({
      droplets: 0,
      timeScale: 60,
      seedDroplets: [
        { id: 400000001, name: 'busy-1' },
        { id: 400000002, name: 'disk-2', usedDiskGb: 2 },
      ],
    });
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given a droplet busy with another action, when run waits for its retry, then it says so with roughly how long, in plain lines', async () => {
    // A snapshot first, so that the reboot meets a droplet with a pending event (422) and waits.
    simulator.setFaults({ stuckDropletIds: [400000001] });
    const first = await runCliCaptured(['run', 'busy-reboot', '--at', '2026-11-27T02:00:00Z'], {
      env,
      cwd: work.dir,
    });
    expect(first.stdout).toMatch(/started\s+1/);

    const result = await runCliCaptured(
      ['run', 'busy-reboot', '--at', '2026-11-27T03:00:00Z', '--time-scale', '4', '--wait', '8s'],
      { env, cwd: work.dir },
    );

    expect(result.stderr).toMatch(
      /^waiting: waiting for 1 droplet\(s\) to retry \(droplet busy with another action\), the next in about \d+ s$/m,
    );
    expect(result.stdout).toMatch(PLAIN);
    expect(result.stderr).toMatch(PLAIN);
  }, 40_000);

  test('given a snapshot in progress, when reconcile --until-settled waits for it, then it says what it waits for and when it looks next', async () => {
    const run = await runCliCaptured(['run', 'one-snapshot', '--time-scale', '60'], { env, cwd: work.dir });
    expect(run.stdout).toMatch(/started\s+1/);

    const result = await runCliCaptured(['reconcile', '--until-settled', '--time-scale', '60'], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^waiting: waiting for 1 action\(s\) in progress on DigitalOcean \(1 snapshot\), next check in about \d+ s$/m,
    );
    expect(result.stdout).toMatch(/completed\s+1/);
    expect(result.stderr).toMatch(PLAIN);
  }, 60_000);

  test('given local, when a burst of work settles, then it prints one summary line with the next tick in the policy’s own time zone', async () => {
    const stop = new AbortController();
    const local = startCliCaptured(
      ['local', '--simulate', '--run-now', '--time-scale', '600', '--reconcile-interval', '300ms'],
      { env: {}, cwd: work.dir, signal: stop.signal },
    );
    try {
      await waitFor('the burst to settle', () => /all settled/.test(local.stdout()), 40_000);
    } finally {
      stop.abort();
    }
    const result = await local.done;

    expect(result.stdout).toMatch(
      /info\s+all settled \(\d+ completed, 0 failed\); next tick: one-snapshot at \w{3} \d{4}-\d{2}-\d{2} 02:00 \+0[12]:00 \(Europe\/Berlin\)/,
    );
    expect(result.stdout).toMatch(PLAIN);
  }, 60_000);
});

describe('describeWait', () => {
  test('given requests queued behind a spent rate-limit window, then it names the rate limit and roughly how long', async () => {
    // A clock that stands still: the limiter's own wait never ends, and holds no timer.
    const clock = { now: () => 1_000_000, sleep: () => new Promise<void>(() => undefined) };
    const limiter = new RateLimiter({ windows: [{ limit: 1, lengthMs: 60_000 }], safetyMargin: 0, clock });
    (await limiter.acquire()).settle({});
    void limiter.acquire();
    void limiter.acquire();

    const text = describeWait({ limiter, now: clock.now() });

    expect(text).toMatch(
      /^waiting for the rate limit: 2 request\(s\) wait for the token's budget, about (1|2) min$/,
    );
  });

  test('given nothing to wait for, then there is nothing to say', () => {
    expect(describeWait({ queue: { waiting: () => [] }, now: Date.now() })).toBeUndefined();
  });
});
