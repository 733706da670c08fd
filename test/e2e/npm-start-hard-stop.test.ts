import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { startChild, type Child } from './subprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'droplet-scheduler.cjs');
/** What `npm start` runs. */
const NPM_START = ['local', '-f', path.join(ROOT, 'examples', 'policies.yaml'), '--simulate', '--run-now'];
const POLICIES = ['nightly-snapshots', 'weekend-off', 'monday-on'];

async function waitForOutput(child: Child, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.stdout())) {
    if (Date.now() > deadline || child.process.exitCode !== null)
      throw new Error(`expected ${pattern} within ${timeoutMs} ms, got: ${child.stdout()}${child.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function actionRecords(storeDir: string): Promise<ActionRecord[]> {
  const opened = await openLocalLedger({ storeDir });
  try {
    const records: ActionRecord[] = [];
    for (const policy of POLICIES) {
      const page = await opened.ledger.queryByPolicy(policy, { limit: 1000 });
      records.push(...page.items.filter((item): item is ActionRecord => item.kind === 'action'));
    }
    return records;
  } finally {
    await opened.close();
  }
}

describe('npm start stopped hard (Ctrl-C twice) with actions in flight, then started again', () => {
  test('given snapshots in flight at the stop, then after a restart every action of the first start ends completed, and none is unknown to DigitalOcean', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-hard-stop-'));
    const storeDir = path.join(work, '.droplet-scheduler', 'simulated');
    const env = { ...process.env, NO_COLOR: '1', DIGITALOCEAN_TOKEN: '' };
    const children: Child[] = [];
    const start = () => {
      const child = startChild(process.execPath, [CLI, ...NPM_START], { cwd: work, env });
      children.push(child);
      return child;
    };
    try {
      // Prepare: a first start, stopped for good by a second Ctrl-C (after the echo window) while
      // snapshots still run.
      const first = start();
      await waitForOutput(first, /start\s+snapshot droplet/, 60_000);
      first.process.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      first.process.kill('SIGINT');
      await first.exited();
      const started = (await actionRecords(storeDir)).filter((record) => record.actionId !== undefined);
      const open = started.filter((record) => record.status === 'pending' || record.status === 'in-progress');

      // Act
      const second = start();
      await waitForOutput(second, /simulator: resumed the simulated account/, 60_000);
      await waitForOutput(second, /done\s+snapshot droplet/, 90_000);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      second.process.kill('SIGINT');
      const secondRun = await second.finished(60_000);
      const after = new Map((await actionRecords(storeDir)).map((record) => [record.actionId, record]));

      // Assess
      expect(open.length).toBeGreaterThan(0);
      expect(secondRun.stdout + secondRun.stderr).not.toMatch(/has no action/);
      expect(started.map((record) => [record.actionId, after.get(record.actionId)?.status])).toEqual(
        started.map((record) => [record.actionId, 'completed']),
      );
      const ids = [...after.keys()];
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      for (const child of children) child.kill();
      await Promise.all(children.map((child) => child.exited()));
      await rm(work, { recursive: true, force: true });
    }
  }, 240_000);
});
