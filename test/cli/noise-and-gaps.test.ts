import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCaptured } from './captured-cli';
import { startCliCaptured, waitFor, workDirWithPolicies } from './run-cli-captured';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'policies.yaml');

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: two-reboots
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001, 999999999] }
    action: { type: reboot }
`;

describe('noise and gaps in output', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;

  beforeEach(async () => {
    simulator = await startSimulator({ droplets: 1, timeScale: 600 });
    work = await workDirWithPolicies(POLICIES);
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given the example policies, when validated, then no tag policy gets a note about millions of droplets', async () => {
    const result = await runCaptured(['validate', '-f', EXAMPLES]);

    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('can start at most');
  });

  test('given defaults.timezone misspelled, when validated, then one problem with a did-you-mean, not a second "got: nothing" for the policy', async () => {
    await writeFile(path.join(work.dir, 'typo.yaml'), POLICIES.replace('Europe/Berlin', 'Europe/Berln'));

    const result = await runCaptured(['validate', '-f', 'typo.yaml'], { cwd: work.dir });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'defaults.timezone: expected an IANA time zone such as Europe/Berlin or UTC (did you mean Europe/Berlin?), got: "Europe/Berln"',
    );
    expect(result.stderr).not.toContain('got: nothing');
    expect(result.stderr).toContain('1 problem in typo.yaml');
  });

  test('given a droplet DigitalOcean refuses, when local starts it, then the refusal is logged once', async () => {
    const stop = new AbortController();
    const local = startCliCaptured(['local', '--run-now', '--time-scale', '600'], {
      env: { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url },
      cwd: work.dir,
      signal: stop.signal,
    });
    try {
      await waitFor('the refusal', () => /reject .*999999999/.test(local.stdout()));
      await waitFor('the burst to settle', () => /all settled/.test(local.stdout()));
    } finally {
      stop.abort();
    }
    const result = await local.done;

    expect(result.stdout.split('\n').filter((line) => line.includes('999999999'))).toHaveLength(1);
    expect(result.stdout).toMatch(/all settled \(\d+ completed, 1 failed\)/);
  });

  test('given a request or two, when dry-run, then the time they take is said as plan says it', async () => {
    const result = await runCaptured(['run', 'two-reboots', '--dry-run'], {
      env: { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url },
      cwd: work.dir,
    });

    expect(result.stdout).toContain(
      '1 request(s) to start the actions (<0.1 min at 250/minute and 5,000/hour)',
    );
    expect(result.stdout).not.toContain('at least');
  });

  test('given plan --json, then every fire time is also given in the policy’s own zone', async () => {
    const result = await runCaptured(['plan', '--json', '--count', '2', '--from', '2026-07-01T00:00Z'], {
      cwd: work.dir,
    });

    const [planned] = JSON.parse(result.stdout) as { fireTimes: string[]; localFireTimes: string[] }[];
    expect(planned).toMatchObject({
      fireTimes: ['2026-07-01T01:00:00.000Z', '2026-07-02T01:00:00.000Z'],
      localFireTimes: ['2026-07-01T03:00:00+02:00', '2026-07-02T03:00:00+02:00'],
    });
  });
});
