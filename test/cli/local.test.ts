import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { loadPolicies } from '../../lambdas/core/policy';
import { calendarDateIn } from '../../lambdas/core/use-cases/calendar-date-in';
import { dispatchRun } from '../../lambdas/core/use-cases/dispatch-run';
import { LiveLog } from '../../cli/local/live-log';
import { LocalScheduler } from '../../cli/local/local-scheduler';
import { PolicyTimer } from '../../cli/local/policy-timer';
import { createOutput } from '../../cli/output';
import { startSimulator } from '../../simulator';
import { startCliCaptured, waitFor, workDirWithPolicies } from './run-cli-captured';

const DAY = 86_400_000;

function policiesFile(): string {
  const now = Date.now();
  const around = [now - DAY, now, now + DAY].map((t) => calendarDateIn(new Date(t), 'Europe/Berlin'));
  return `
defaults: { timezone: Europe/Berlin }
policies:
  - name: prod-snapshots
    schedule: cron(0 2 * * ? *)
    targets: { tag: prod }
    action: { type: snapshot }
    retention: { keepLast: 2 }
  - name: stg-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: stg }
    action: { type: shutdown, fallback: power_off, timeoutMinutes: 5 }
  - name: lab-on
    schedule: cron(0 7 ? * MON *)
    targets: { tag: lab }
    action: { type: power_on }
  - name: holiday-reboot
    schedule: cron(0 3 * * ? *)
    targets: { tag: misc }
    action: { type: reboot }
    skipDates: [${around.join(', ')}]
  - name: parked
    enabled: false
    schedule: cron(0 4 * * ? *)
    targets: { tag: prod }
    action: { type: power_off }
`;
}

async function actionRecords(storeDir: string, policies: readonly string[]): Promise<ActionRecord[]> {
  const opened = await openLocalLedger({ storeDir });
  try {
    const records: ActionRecord[] = [];
    for (const policy of policies) {
      const page = await opened.ledger.queryByPolicy(policy, { limit: 1000 });
      records.push(...page.items.filter((item): item is ActionRecord => item.kind === 'action'));
    }
    return records;
  } finally {
    await opened.close();
  }
}

function countBy(records: readonly ActionRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records)
    counts[`${record.type}:${record.status}`] = (counts[`${record.type}:${record.status}`] ?? 0) + 1;
  return counts;
}

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

describe('droplet-scheduler local', () => {
  test('given --simulate --run-now, when the actions complete and it is stopped, then it exits 0 with every action settled in the ledger', async () => {
    const work = await workDirWithPolicies(policiesFile());
    const stop = new AbortController();
    try {
      const running = startCliCaptured(
        ['local', '--simulate', '--run-now', '--time-scale', '600', '--reconcile-interval', '300ms'],
        { env: {}, cwd: work.dir, signal: stop.signal },
      );
      await waitFor('5 snapshots, 5 shutdowns and 5 power_ons done', () => {
        const out = running.stdout();
        return (
          occurrences(out, 'done   snapshot') === 5 &&
          occurrences(out, 'done   shutdown') === 5 &&
          occurrences(out, 'done   power_on') === 5
        );
      });

      stop.abort();
      const result = await running.done;

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('parked: disabled, never fires');
      expect(result.stdout).toMatch(
        /holiday-reboot @ \S+ \(run-now\): skipped, \d{4}-\d{2}-\d{2} is one of the policy's skipDates/,
      );
      expect(result.stdout).toContain('lab-on');
      const records = await actionRecords(path.join(work.dir, '.droplet-scheduler', 'simulated'), [
        'prod-snapshots',
        'stg-off',
        'lab-on',
        'holiday-reboot',
        'parked',
      ]);
      const counts = countBy(records);
      expect(counts['snapshot:completed']).toBe(5);
      expect(counts['shutdown:completed']).toBe(5);
      expect(counts['power_on:completed']).toBe(5);
      expect(
        records.filter((record) => record.status === 'pending' || record.status === 'in-progress'),
      ).toEqual([]);
      expect(occurrences(result.stdout, 'done   power_off')).toBe(counts['power_off:completed'] ?? 0);
      expect(result.stdout + result.stderr).not.toMatch(/dop_v1_/);
      const fleet = JSON.parse(
        await readFile(
          path.join(work.dir, '.droplet-scheduler', 'simulated', 'simulated-fleet.json'),
          'utf8',
        ),
      ) as { droplets: { tags: string[]; status: string }[] };
      const statusOf = (tag: string) =>
        new Set(fleet.droplets.filter((d) => d.tags.includes(tag)).map((d) => d.status));
      expect(statusOf('stg')).toEqual(new Set(['off']));
      expect(statusOf('lab')).toEqual(new Set(['active']));
    } finally {
      stop.abort();
      await work.remove();
    }
  });
});

describe('droplet-scheduler local, refusing to start', () => {
  test.each([
    ['no DIGITALOCEAN_TOKEN against the real API', [], /DIGITALOCEAN_TOKEN/],
    [
      '--api-url beside --simulate',
      ['--simulate', '--api-url', 'http://127.0.0.1:9'],
      /--api-url: expected no --api-url with --simulate/,
    ],
    [
      'a bad --time-scale',
      ['--simulate', '--time-scale', 'fast'],
      /--time-scale: expected a number greater than 0/,
    ],
  ])('given %s, then it exits 1 with one line', async (_case, args, message) => {
    const work = await workDirWithPolicies(policiesFile());
    try {
      const result = await startCliCaptured(['local', ...args], { env: {}, cwd: work.dir }).done;

      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    } finally {
      await work.remove();
    }
  });
});

describe('LocalScheduler restarts', () => {
  const MINUTE = Date.parse('2026-11-27T10:15:00Z');
  const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: web-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: web }
    action: { type: power_off }
  - name: db-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000005] }
    action: { type: reboot, timeoutMinutes: 60 }
`;
  const policies = loadPolicies(POLICIES, 'policies.yaml').policies;

  async function startOnce(options: {
    storeDir: string;
    url: string;
    token: string;
    at: number;
    runForMs: number;
  }): Promise<string> {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const output = createOutput({ stdout, stderr: new PassThrough(), env: { NO_COLOR: '1' } });
    const runtime = await createLocalRuntime({
      apiUrl: options.url,
      token: options.token,
      storeDir: options.storeDir,
      timeScale: 600,
    });
    const started = Date.now();
    const scheduler = new LocalScheduler({
      runtime,
      policies,
      log: new LiveLog(output),
      runNow: true,
      reconcileIntervalMs: 200,
      now: () => new Date(options.at + (Date.now() - started)),
    });
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), options.runForMs);
    try {
      await scheduler.run(stop.signal);
    } finally {
      clearTimeout(timer);
      await runtime.close();
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  test('given a run in one minute, when started again in the same minute with --run-now, then no action is started twice', async () => {
    const simulator = await startSimulator({
      droplets: 5,
      tags: { web: 4 },
      timeScale: 600,
      faults: { stuckDropletIds: [400000005] },
    });
    const work = await workDirWithPolicies(POLICIES);
    const storeDir = path.join(work.dir, 'store');
    try {
      await startOnce({ storeDir, url: simulator.url, token: simulator.token, at: MINUTE, runForMs: 1500 });
      const postsAfterFirst = simulator.requestCounts();
      const recordsAfterFirst = await actionRecords(storeDir, ['web-off', 'db-reboot']);

      const second = await startOnce({
        storeDir,
        url: simulator.url,
        token: simulator.token,
        at: MINUTE + 20_000,
        runForMs: 1000,
      });

      expect(second).toContain('resuming 1 open action(s) left by a previous run');
      expect(second).toMatch(/web-off @ 2026-11-27T10:15:00.000Z \(run-now\): already dispatched/);
      expect(simulator.requestCounts()['POST /v2/droplets/actions']).toBe(
        postsAfterFirst['POST /v2/droplets/actions'],
      );
      expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(1);
      expect((await actionRecords(storeDir, ['web-off', 'db-reboot'])).length).toBe(recordsAfterFirst.length);
    } finally {
      await simulator.close();
      await work.remove();
    }
  });

  test('given a policy whose actions are still open, when started in a later minute with --run-now, then that policy is resumed, not fired again', async () => {
    const simulator = await startSimulator({
      droplets: 5,
      tags: { web: 4 },
      timeScale: 600,
      faults: { stuckDropletIds: [400000005] },
    });
    const work = await workDirWithPolicies(POLICIES);
    const storeDir = path.join(work.dir, 'store');
    try {
      await startOnce({ storeDir, url: simulator.url, token: simulator.token, at: MINUTE, runForMs: 1500 });

      const later = await startOnce({
        storeDir,
        url: simulator.url,
        token: simulator.token,
        at: MINUTE + 5 * 60_000,
        runForMs: 3000,
      });

      expect(later).toMatch(/db-reboot: 1 action\(s\) of 2026-11-27T10:15:00.000Z still open; resuming them/);
      expect(later).toMatch(/web-off @ 2026-11-27T10:20:00.000Z \(run-now\): 4 action\(s\) started/);
      expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(1);
    } finally {
      await simulator.close();
      await work.remove();
    }
  });
});

describe('LocalScheduler and one droplet, one order', () => {
  test("given office-on's tick after office-off's shutdown started, when the scheduler's reconcile loop finds the droplets still running, then office-off's power_off fallback is recorded skipped", async () => {
    const simulator = await startSimulator({
      droplets: 2,
      tags: { office: 2 },
      timeScale: 600,
      faults: { ineffectiveShutdownRate: 1 },
    });
    const work = await workDirWithPolicies('');
    const storeDir = path.join(work.dir, 'store');
    const [off, on] = loadPolicies(
      `defaults: { timezone: UTC }
policies:
  - { name: office-off, schedule: cron(0 20 ? * MON-FRI *), targets: { tag: office }, action: { type: shutdown, fallback: power_off, timeoutMinutes: 5 } }
  - { name: office-on, schedule: cron(0 7 ? * MON-FRI *), targets: { tag: office }, action: { type: power_on } }
`,
      'policies.yaml',
    ).policies;
    const runtime = await createLocalRuntime({
      apiUrl: simulator.url,
      token: simulator.token,
      storeDir,
      timeScale: 600,
    });
    const output = createOutput({
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      env: { NO_COLOR: '1' },
    });
    // Its first reconcile pass comes before the shutdowns finish; the next one, 2 s later, settles them.
    const scheduler = new LocalScheduler({
      runtime,
      policies: [off!],
      log: new LiveLog(output),
      runNow: true,
      reconcileIntervalMs: 2_000,
    });
    const stop = new AbortController();
    try {
      const running = scheduler.run(stop.signal);
      await waitFor(
        'the shutdowns to start',
        () => simulator.state().actions.filter((action) => action.type === 'shutdown').length === 2,
        5_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      // office-on's tick, dispatched while office-off's shutdowns are not yet settled in the ledger.
      await dispatchRun(runtime, { policy: on!, scheduledTime: new Date(Date.now() + 60_000).toISOString() });
      await waitFor(
        'the fallbacks to be decided',
        async () => {
          const items = (await runtime.ledger.queryByPolicy('office-off', { limit: 100 })).items;
          return (
            items.filter((item) => item.kind === 'action' && item.step === 1 && item.status !== 'pending')
              .length === 2
          );
        },
        10_000,
      );
      stop.abort();
      await running;

      const items = (await runtime.ledger.queryByPolicy('office-off', { limit: 100 })).items;
      const fallbacks = items.filter(
        (item): item is ActionRecord => item.kind === 'action' && item.step === 1,
      );
      expect(fallbacks.map((item) => item.status)).toEqual(['skipped', 'skipped']);
      expect(fallbacks[0]?.reason).toContain("office-on's tick");
      expect(simulator.state().actions.filter((action) => action.type === 'power_off')).toHaveLength(0);
    } finally {
      stop.abort();
      await runtime.close();
      await simulator.close();
      await work.remove();
    }
  });
});

describe('PolicyTimer', () => {
  test('given an every-minute cron, when its minute comes, then it ticks with that exact minute as the scheduled time and arms the next', async () => {
    const [policy] = loadPolicies(
      'policies:\n  - { name: every-minute, timezone: Asia/Tokyo, schedule: cron(* * * * ? *), targets: { tag: a }, action: { type: reboot } }\n',
      'p.yaml',
    ).policies;
    // A clock 500 ms before a minute boundary, running at real speed.
    const offset = Date.parse('2026-11-27T10:15:59.500Z') - Date.now();
    const ticks: string[] = [];
    const timer = new PolicyTimer(
      policy!,
      (_policy, at) => ticks.push(at.toISOString()),
      () => new Date(Date.now() + offset),
    );

    timer.start();
    await waitFor('a tick', () => ticks.length > 0, 5000);
    timer.stop();

    expect(ticks).toEqual(['2026-11-27T10:16:00.000Z']);
  });
});
