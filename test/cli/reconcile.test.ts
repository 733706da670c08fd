import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: web-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: web }
    action: { type: shutdown, fallback: power_off, timeoutMinutes: 5 }
`;

const TIME_SCALE = '600';

async function statuses(storeDir: string): Promise<Record<string, number>> {
  const opened = await openLocalLedger({ storeDir });
  try {
    const page = await opened.ledger.queryByPolicy('web-off', { limit: 1000 });
    const counts: Record<string, number> = {};
    for (const item of page.items.filter((record): record is ActionRecord => record.kind === 'action'))
      counts[`${item.type}:${item.status}`] = (counts[`${item.type}:${item.status}`] ?? 0) + 1;
    return counts;
  } finally {
    await opened.close();
  }
}

describe('droplet-scheduler reconcile', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let env: NodeJS.ProcessEnv;

  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  async function start(options: Parameters<typeof startSimulator>[0]) {
    simulator = await startSimulator({ droplets: 6, tags: { web: 6 }, timeScale: 600, ...options });
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
    const run = await runCliCaptured(['run', 'web-off', '--time-scale', TIME_SCALE], { env, cwd: work.dir });
    expect(run.code).toBe(0);
  }

  test('given shutdowns in flight, some ineffective, when reconciled until settled, then all end completed and the fallback powers the rest off', async () => {
    await start({ faults: { ineffectiveShutdownRate: 0.5 } });

    const result = await runCliCaptured(
      ['reconcile', '--until-settled', '--timeout', '30s', '--time-scale', TIME_SCALE],
      {
        env,
        cwd: work.dir,
      },
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/still open\s+0/);
    const counts = await statuses(path.join(work.dir, '.droplet-scheduler'));
    expect(counts['shutdown:completed']).toBe(6);
    expect(counts['power_off:completed']).toBeGreaterThan(0);
    expect(result.stdout).toMatch(new RegExp(`completed\\s+${6 + (counts['power_off:completed'] ?? 0)}`));
    expect(simulator.state().droplets.every((droplet) => droplet.status === 'off')).toBe(true);
  });

  test('given an action that never finishes, when --until-settled runs out of time, then it exits 2 with one line', async () => {
    await start({ faults: { stuckDropletIds: [400000001] } });

    const result = await runCliCaptured(
      ['reconcile', '--until-settled', '--timeout', '1500ms', '--time-scale', '1'],
      {
        env,
        cwd: work.dir,
      },
    );

    expect(result.code).toBe(2);
    // Progress notes ("waiting: …") may come first; the failure itself is one line.
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((line) => !line.trimStart().startsWith('waiting:'))).toHaveLength(1);
    expect(result.stderr).toMatch(/expected every action settled within 1500ms, got: \d+ still open/);
    expect(result.stdout).toMatch(/still open\s+[1-9]/);
  });

  test('given nothing open, when reconciled once, then it exits 0 with an empty summary', async () => {
    simulator = await startSimulator({ droplets: 1 });
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };

    const result = await runCliCaptured(['reconcile'], { env, cwd: work.dir });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/completed\s+0/);
    expect(result.stdout).toMatch(/still open\s+0/);
  });
});
