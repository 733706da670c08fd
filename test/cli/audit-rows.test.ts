import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import { actionId } from '../../lambdas/core/ledger/item-id';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { applyEvent, claimAction } from '../support/ledger-items';
import { makePolicy } from '../support/make-policy';
import { workflowOf } from '../../lambdas/core/workflow/workflow-of';
import { markSimulatedStore } from '../../cli/store/store-kind';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCaptured } from './captured-cli';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

const MINUTE = 60_000;

interface Row {
  policy: string;
  dropletId: number | null;
  dropletName: string | null;
  type: string;
  status: string;
  reason: string | null;
  parentActionId: number | null;
}

describe('audit rows say what each item is about', () => {
  let dir: string;
  const tick = new Date(Math.floor((Date.now() - 60 * MINUTE) / MINUTE) * MINUTE).toISOString();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-rows-'));
    let now = Date.parse(tick) + 1000;
    const opened = await openLocalLedger({ storeDir: path.join(dir, '.droplet-scheduler'), now: () => now });
    try {
      const { ledger } = opened;
      const at = () => ({ now: new Date(now) });
      // Droplet 50 got a name from a snapshot policy that listed its tag; its bulk row has none.
      await applyEvent(
        ledger,
        actionId('staging-snapshots', tick, 50),
        {
          type: 'skip',
          init: {
            kind: 'action',
            policy: 'staging-snapshots',
            scheduledTime: tick,
            dropletId: 50,
            dropletName: 'staging-50',
            type: 'snapshot',
            mode: 'per-droplet',
          },
          reason: 'seeded',
        },
        at(),
      );
      for (const [dropletId, action] of [
        [50, 700],
        [51, 701],
      ] as const) {
        await applyEvent(
          ledger,
          actionId('staging-off', tick, dropletId),
          {
            type: 'bulk-started',
            init: {
              kind: 'action',
              policy: 'staging-off',
              scheduledTime: tick,
              dropletId,
              type: 'shutdown',
              mode: 'bulk',
              workflow: workflowOf(
                makePolicy({
                  name: 'staging-off',
                  targets: { tag: 'staging' },
                  action: { type: 'shutdown' },
                  fallback: 'power_off',
                }),
                { id: dropletId },
                tick,
              ),
            },
            action: {
              actionId: action,
              startedAt: new Date(now).toISOString(),
              dueAt: new Date(now + MINUTE).toISOString(),
            },
          },
          at(),
        );
      }
      now += 5 * MINUTE;
      await applyEvent(
        ledger,
        actionId('staging-off', tick, 51),
        {
          type: 'timed-out',
          actionId: 701,
          error: { code: 'timed_out', message: 'no answer within 5 minutes' },
        },
        at(),
      );
      now += MINUTE;
      await applyEvent(
        ledger,
        actionId('staging-off', tick, 51, 1),
        {
          type: 'claim',
          init: {
            kind: 'action',
            policy: 'staging-off',
            scheduledTime: tick,
            dropletId: 51,
            step: 1,
            type: 'power_off',
            mode: 'per-droplet',
            parentActionId: 701,
          },
        },
        at(),
      );
      // A policy by droplet ids: dispatch queues the ids as given, with no name.
      const claimed = (await applyEvent(
        ledger,
        actionId('ids-reboot', tick, 60),
        {
          type: 'claim',
          init: {
            kind: 'action',
            policy: 'ids-reboot',
            scheduledTime: tick,
            dropletId: 60,
            type: 'reboot',
            mode: 'per-droplet',
          },
        },
        at(),
      )) as ActionRecord;
      void claimed;
    } finally {
      await opened.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const audit = (...flags: string[]) => runCaptured(['audit', ...flags], { cwd: dir });
  const rows = async (...flags: string[]) => {
    const result = await audit(...flags, '--format', 'json');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Row[];
  };

  test('given a bulk row whose droplet another row named, when audited, then NAME is that name, and a bulk row with no name anywhere says (bulk)', async () => {
    const json = await rows('--policy', 'staging-off');
    const table = await audit('--policy', 'staging-off');

    expect(
      json.filter((row) => row.type === 'shutdown').map((row) => [row.dropletId, row.dropletName]),
    ).toEqual([
      [50, 'staging-50'],
      [51, null],
    ]);
    expect(table.stdout).toMatch(/\s50\s+staging-50\s+shutdown\s/);
    expect(table.stdout).toMatch(/\s51\s+\(bulk\)\s+shutdown\s/);
    expect(table.stdout).toContain('NAME (bulk), (by id): no name on record');
  });

  test('given a policy by droplet ids, when audited, then NAME says (by id) instead of -', async () => {
    const table = await audit('--policy', 'ids-reboot');

    expect(table.stdout).toMatch(/\s60\s+\(by id\)\s+reboot\s+pending/);
  });

  test('given a power_off fallback, when audited, then its row names the action it follows and how that ended', async () => {
    const json = await rows('--policy', 'staging-off');
    const table = await audit('--policy', 'staging-off');

    expect(json.find((row) => row.type === 'power_off')).toMatchObject({
      dropletId: 51,
      parentActionId: 701,
    });
    expect(table.stdout).toMatch(
      /power_off\s+pending\s+-\s+-\s+-\s+follows shutdown action 701 \(timed-out\)/,
    );
    // The fallback inherits the bulk parent's lack of a name, and says why.
    expect(table.stdout).toMatch(/\s51\s+\(bulk\)\s+power_off/);
  });

  test('given --since and --until ten years apart without --droplet or --policy, then exit 1 naming both flags', async () => {
    const result = await audit('--since', '2020-01-01T00:00Z', '--until', '2030-01-01T00:00Z');

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      "--since/--until: expected at most 120 months apart without --droplet or --policy, got: '2020-01-01T00:00Z to 2030-01-01T00:00Z'",
    );
  });

  test('given --since and --until ten years apart with --policy, then the policy partition answers', async () => {
    const json = await rows(
      '--policy',
      'ids-reboot',
      '--since',
      '2020-01-01T00:00Z',
      '--until',
      '2030-01-01T00:00Z',
    );

    expect(json.map((row) => row.dropletId)).toEqual([60]);
  });
});

describe('audit finds skipped ticks', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  // A skip date two days ahead, so that the test keeps meaning the same thing on any day.
  const skipDay = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const tickAt = `${skipDay}T19:00:00.000Z`;

  beforeAll(async () => {
    simulator = await startSimulator({ droplets: 3, tags: { web: 3 }, timeScale: 600 });
    work = await workDirWithPolicies(`
defaults: { timezone: UTC }
policies:
  - name: holiday-off
    schedule: cron(0 19 * * ? *)
    targets: { tag: web }
    action: { type: power_off }
    skipDates: [${skipDay}]
`);
    const env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
    const run = await runCliCaptured(['run', 'holiday-off', '--at', tickAt], { env, cwd: work.dir });
    expect(run.stdout).toContain('skipped');
  });
  afterAll(async () => {
    await simulator.close();
    await work.remove();
  });

  const skippedTick = {
    policy: 'holiday-off',
    scheduledTime: tickAt,
    dropletId: null,
    type: 'power_off',
    status: 'skipped',
    reason: `${skipDay} is one of the policy's skipDates (UTC)`,
  };
  const json = async (...flags: string[]) => {
    const result = await runCaptured(['audit', ...flags, '--format', 'json'], { cwd: work.dir });
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Row[];
  };

  test('given a tick skipped by skipDates, when audited with no filter, then it is one row for the whole tick', async () => {
    expect(await json()).toEqual([expect.objectContaining(skippedTick)]);
  });

  test('given a tick skipped by skipDates, when audited with --status skipped, then it shows', async () => {
    expect(await json('--status', 'skipped')).toEqual([expect.objectContaining(skippedTick)]);
  });

  test('given a tick skipped by skipDates, when its policy is audited over the tick, then it shows, and the table says why', async () => {
    const range = ['--since', `${skipDay}T00:00Z`, '--until', `${skipDay}T23:59Z`];
    expect(await json('--policy', 'holiday-off', '--status', 'skipped', ...range)).toEqual([
      expect.objectContaining(skippedTick),
    ]);
    const table = await runCaptured(['audit', '--policy', 'holiday-off', ...range], { cwd: work.dir });
    expect(table.stdout).toMatch(
      /holiday-off\s+-\s+-\s+power_off\s+skipped\s+-\s+-\s+-\s+whole tick \(\S+ is one of the policy's skipDates \(UTC\)\)/,
    );
  });

  test('given a status that is not skipped, when audited, then the skipped tick stays out', async () => {
    expect(await json('--status', 'completed')).toEqual([]);
  });
});

describe('audit says where the other store is', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-stores-'));
    // What `npm start` leaves: the simulated store inside the default one, and nothing else.
    const simulated = path.join(dir, '.droplet-scheduler', 'simulated');
    await mkdir(simulated, { recursive: true });
    await markSimulatedStore(simulated);
    const opened = await openLocalLedger({ storeDir: simulated });
    try {
      await claimAction(opened.ledger, {
        policy: 'nightly-snapshots',
        scheduledTime: new Date(Date.now() - MINUTE).toISOString(),
        dropletId: 400000001,
        dropletName: 'production-1',
        type: 'snapshot',
      });
    } finally {
      await opened.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('given only the simulated ledger of npm start, when audit reads the default store, then it names the simulated one with a command that works when pasted', async () => {
    const result = await runCaptured(['audit', '--since', '1h'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No ledger records match');
    const hint = /: (droplet-scheduler audit --store \S+ --since 1h)$/m.exec(result.stdout);
    expect(result.stdout).toContain(
      '.droplet-scheduler holds no ledger yet; the simulated ledger (npm start, local --simulate) is .droplet-scheduler/simulated',
    );
    const pasted = await runCaptured(hint![1]!.split(' ').slice(1), { cwd: dir });
    expect(pasted.code).toBe(0);
    expect(pasted.stdout).toMatch(/nightly-snapshots\s+400000001\s+production-1\s+snapshot\s+pending/);
  });

  test('given JSON output, when the store is empty, then stdout stays [] and the pointer goes to stderr', async () => {
    const result = await runCaptured(['audit', '--format', 'json'], { cwd: dir });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain(
      'droplet-scheduler audit --store .droplet-scheduler/simulated --format json',
    );
  });

  test('given the simulated store, when local runs against DigitalOcean with it, then it refuses before starting, so that the two ledgers never mix', async () => {
    const result = await runCaptured(
      [
        'local',
        '-f',
        path.join(__dirname, '..', '..', 'examples', 'policies.yaml'),
        '--store',
        '.droplet-scheduler/simulated',
      ],
      {
        cwd: dir,
        env: { DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` },
      },
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '--store: expected a store for real actions without --simulate (this one holds the simulated ledger',
    );
  });

  test('given the default store, when audited, then no empty ledger is created in it', async () => {
    await runCaptured(['audit'], { cwd: dir });

    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(dir, '.droplet-scheduler', 'ledger'))).toBe(false);
  });
});
