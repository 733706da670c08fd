import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: web-snapshots
    schedule: cron(0 2 * * ? *)
    targets: { tag: web }
    action: { type: snapshot }
  - name: web-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: web }
    action: { type: power_off }
  - name: by-id-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001, 999999999] }
    action: { type: reboot }
  - name: holiday-off
    schedule: cron(0 20 * * ? *)
    targets: { tag: web }
    action: { type: power_off }
    skipDates: [2026-12-24]
  - name: every-6h
    schedule: rate(6 hours)
    targets: { dropletIds: [400000001, 400000002] }
    action: { type: reboot }
  - name: office-off
    schedule: cron(0 20 ? * MON-FRI *)
    targets: { tag: office }
    action: { type: shutdown, fallback: power_off, timeoutMinutes: 5 }
  - name: office-on
    schedule: cron(0 7 ? * MON-FRI *)
    targets: { tag: office }
    action: { type: power_on }
`;

async function actionItems(storeDir: string, policy: string): Promise<ActionRecord[]> {
  const opened = await openLocalLedger({ storeDir });
  try {
    const page = await opened.ledger.queryByPolicy(policy, { limit: 1000 });
    return page.items.filter((item): item is ActionRecord => item.kind === 'action');
  } finally {
    await opened.close();
  }
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('droplet-scheduler run', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    simulator = await startSimulator({ droplets: 12, tags: { web: 10 }, timeScale: 600 });
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
  });

  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given one tick spelled three ways, when run three times, then its actions start once and the later runs say the tick is done', async () => {
    const runs = [];
    for (const at of ['2026-11-29T06:00:00Z', '2026-11-29T06:00:30Z', '2026-11-29T06:00:00.001Z']) {
      runs.push(
        await runCliCaptured(['run', 'every-6h', '--at', at, '--time-scale', '600'], { env, cwd: work.dir }),
      );
    }

    expect(runs.map((run) => run.code)).toEqual([0, 0, 0]);
    expect(runs[1]?.stdout).toContain('every-6h at 2026-11-29T06:00:00.000Z: already dispatched');
    expect(runs[1]?.stderr).toContain('--at 2026-11-29T06:00:30Z is the tick 2026-11-29T06:00:00.000Z');
    expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(2);
    const items = await actionItems(path.join(work.dir, '.droplet-scheduler'), 'every-6h');
    expect(items.map((item) => item.scheduledTime)).toEqual([
      '2026-11-29T06:00:00.000Z',
      '2026-11-29T06:00:00.000Z',
    ]);
  });

  test("given office-on's tick after office-off's shutdown, when the reconciler finds the shutdown left the droplets running, then office-off's power_off fallback is skipped", async () => {
    await simulator.close();
    simulator = await startSimulator({
      droplets: 2,
      tags: { office: 2 },
      timeScale: 600,
      faults: { ineffectiveShutdownRate: 1 },
    });
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
    const flags = ['--time-scale', '600'];

    const off = await runCliCaptured(['run', 'office-off', '--at', '2026-11-30T19:00:00Z', ...flags], {
      env,
      cwd: work.dir,
    });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the shutdowns finish; the droplets run on
    const on = await runCliCaptured(['run', 'office-on', '--at', '2026-11-30T19:01:00Z', ...flags], {
      env,
      cwd: work.dir,
    });
    const settled = await runCliCaptured(['reconcile', '--until-settled', ...flags], { env, cwd: work.dir });

    expect([off.code, on.code, settled.code]).toEqual([0, 0, 0]);
    const fallbacks = (await actionItems(path.join(work.dir, '.droplet-scheduler'), 'office-off')).filter(
      (item) => item.step === 1,
    );
    expect(fallbacks.map((item) => [item.type, item.status])).toEqual([
      ['power_off', 'skipped'],
      ['power_off', 'skipped'],
    ]);
    expect(fallbacks[0]?.reason).toContain("office-on's tick 2026-11-30T19:01:00.000Z started power_on");
    expect(simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(0);
  });

  test('given a tick that failed on a wrong token, when run again with the right one in the same minute, then it starts, and audit shows the failed attempt', async () => {
    const at = ['--at', '2026-11-27T19:00:00Z', '--time-scale', '600'];
    const wrong = { ...env, DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` };

    const failed = await runCliCaptured(['run', 'web-off', ...at], { env: wrong, cwd: work.dir });
    const failedAudit = await runCliCaptured(
      [
        'audit',
        '--policy',
        'web-off',
        '--since',
        '2026-11-27T00:00:00Z',
        '--until',
        '2026-11-28T00:00:00Z',
        '--format',
        'json',
      ],
      { env, cwd: work.dir },
    );
    const retried = await runCliCaptured(['run', 'web-off', ...at], { env, cwd: work.dir });
    const audit = await runCliCaptured(
      [
        'audit',
        '--policy',
        'web-off',
        '--since',
        '2026-11-27T00:00:00Z',
        '--until',
        '2026-11-28T00:00:00Z',
        '--format',
        'json',
      ],
      { env, cwd: work.dir },
    );

    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/401|unauthorized/i);
    expect(JSON.parse(failedAudit.stdout)).toContainEqual(
      expect.objectContaining({
        type: 'power_off',
        status: 'failed',
        reason: expect.stringMatching(/401|Unable to authenticate/i),
      }),
    );
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain(
      'web-off at 2026-11-27T19:00:00.000Z: 10 action(s) started in one request by tag',
    );
    const rows = JSON.parse(audit.stdout) as { type: string; status: string; reason: string | null }[];
    expect(rows).toContainEqual(
      expect.objectContaining({
        status: 'dispatched',
        reason: expect.stringMatching(/^dispatched on attempt 2, after: .*(401|Unable to authenticate)/i),
      }),
    );
    expect(rows.filter((row) => row.type === 'power_off' && row.status === 'in-progress')).toHaveLength(10);
  });

  test('given a tag of 10, when a snapshot policy runs, then 10 actions start and the ledger holds them', async () => {
    const result = await runCliCaptured(['run', 'web-snapshots', '--at', '2026-11-27T01:00:00Z'], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('web-snapshots at 2026-11-27T01:00:00.000Z: 10 droplet(s)');
    expect(result.stdout).toMatch(/started\s+10/);
    expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(10);
    const items = await actionItems(path.join(work.dir, '.droplet-scheduler'), 'web-snapshots');
    expect(items).toHaveLength(10);
    expect(new Set(items.map((item) => item.status))).toEqual(new Set(['in-progress']));
  });

  test('given the same tick twice, when run again, then nothing new is started', async () => {
    await runCliCaptured(['run', 'web-off', '--at', '2026-11-27T19:00:00Z'], { env, cwd: work.dir });

    const again = await runCliCaptured(['run', 'web-off', '--at', '2026-11-27T19:00:00Z'], {
      env,
      cwd: work.dir,
    });

    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already dispatched');
    expect(simulator.requestCounts()['POST /v2/droplets/actions']).toBe(1);
  });

  test('given a droplet id that does not exist, when run, then it is rejected with DigitalOcean’s message and the exit code is 2', async () => {
    const result = await runCliCaptured(['run', 'by-id-reboot'], { env, cwd: work.dir });

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/started\s+1/);
    expect(result.stdout).toMatch(/rejected\s+1/);
    expect(result.stdout).toMatch(/droplet 999999999: .*not.*found/i);
  });

  test('given --dry-run, then it shows the requests and sends nothing but GETs, and writes no store', async () => {
    const result = await runCliCaptured(
      ['run', 'web-snapshots', '--dry-run', '--at', '2026-11-27T01:00:00Z'],
      {
        env,
        cwd: work.dir,
      },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'POST /v2/droplets/400000001/actions {"type":"snapshot","name":"web-snapshots--400000001-20261127-0100"}',
    );
    expect(result.stdout).toContain('API budget: 1 GET(s) spent resolving targets, 10 request(s)');
    const methods = Object.keys(simulator.requestCounts()).map((key) => key.split(' ')[0]);
    expect(methods.length).toBeGreaterThan(0);
    expect(new Set(methods)).toEqual(new Set(['GET']));
    expect(existsSync(path.join(work.dir, '.droplet-scheduler'))).toBe(false);
  });

  test.each([[['--dry-run']], [[]]])(
    'given a tick on a skip date (%j), then nothing is sent and the tick is reported skipped',
    async (extra) => {
      const result = await runCliCaptured(['run', 'holiday-off', '--at', '2026-12-24T19:00:00Z', ...extra], {
        env,
        cwd: work.dir,
      });

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /skipped: 2026-12-24 is one of the policy's skipDates|skipped, 2026-12-24 is one of the policy's skipDates/,
      );
      expect(Object.keys(simulator.requestCounts()).filter((key) => key.startsWith('POST'))).toEqual([]);
    },
  );

  test('given an unknown policy name, then it exits 1 naming the known ones', async () => {
    const result = await runCliCaptured(['run', 'nightly'], { env, cwd: work.dir });

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      "web-snapshots, web-off, by-id-reboot, holiday-off, every-6h, office-off, office-on, got: 'nightly'",
    );
  });

  test('given no DIGITALOCEAN_TOKEN, then it exits 1 with one line', async () => {
    const result = await runCliCaptured(['run', 'web-off'], {
      env: { DIGITALOCEAN_API_URL: simulator.url },
      cwd: work.dir,
    });

    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('DIGITALOCEAN_TOKEN');
    expect(Object.keys(simulator.requestCounts())).toHaveLength(0);
  });

  test('given an API nobody answers, then it exits 2 with one line', async () => {
    const port = await closedPort();

    const result = await runCliCaptured(['run', 'web-off', '--api-url', `http://127.0.0.1:${port}`], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(result.stderr).not.toContain(simulator.token);
  });
});
