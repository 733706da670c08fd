import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, type Child } from './subprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'droplet-scheduler.cjs');
/** tsx as a require hook, not its CLI: the CLI runs the script in a grandchild that a kill would orphan. */
const TSX_HOOK = ['--require', require.resolve('tsx/cjs')];
const TIME_SCALE = '600';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: web-reboot
    schedule: cron(0 3 * * ? *)
    targets: { tag: web }
    action: { type: reboot }
`;

/** Waits for the simulator script's `url:` line. */
async function simulatorUrl(simulator: Child, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^url:\s+(http:\/\/\S+)$/m.exec(simulator.stdout());
    if (match) return match[1]!;
    if (Date.now() > deadline || simulator.process.exitCode !== null)
      throw new Error(
        `expected the simulator's url within ${timeoutMs} ms, got: ${simulator.stdout()}${simulator.stderr()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the CLI end to end, simulator and CLI in their own processes', () => {
  test('given a tag of 10, when run and reconciled until settled, then the audit shows 10 completed records as JSON and 10 rows plus a header as CSV', async () => {
    const work = await mkdtemp(path.join(tmpdir(), 'droplet-scheduler-e2e-'));
    await writeFile(path.join(work, 'policies.yaml'), POLICIES);
    const token = `dop_v1_${randomBytes(32).toString('hex')}`;
    const env = { ...process.env, DIGITALOCEAN_TOKEN: token, NO_COLOR: '1' };
    const simulator = startChild(
      process.execPath,
      [
        ...TSX_HOOK,
        path.join(ROOT, 'simulator', 'main.ts'),
        '--port',
        '0',
        '--droplets',
        '12',
        '--tag',
        'web=10',
        '--time-scale',
        TIME_SCALE,
      ],
      { cwd: work, env },
    );
    const children: Child[] = [simulator];
    const cli = async (args: string[]) => {
      const child = startChild(process.execPath, [CLI, ...args], { cwd: work, env });
      children.push(child);
      return child.finished(30_000);
    };
    try {
      const url = await simulatorUrl(simulator, 15_000);

      const run = await cli(['run', 'web-reboot', '--api-url', url, '--time-scale', TIME_SCALE]);
      const reconcile = await cli([
        'reconcile',
        '--until-settled',
        '--timeout',
        '60s',
        '--api-url',
        url,
        '--time-scale',
        TIME_SCALE,
      ]);
      const json = await cli(['audit', '--policy', 'web-reboot', '--format', 'json']);
      const csv = await cli(['audit', '--policy', 'web-reboot', '--format', 'csv']);

      expect(run).toMatchObject({ code: 0 });
      expect(run.stdout).toMatch(/started\s+10/);
      expect(reconcile).toMatchObject({ code: 0 });
      expect(reconcile.stdout).toMatch(/completed\s+10/);
      expect(reconcile.stdout).toMatch(/still open\s+0/);
      expect(json.code).toBe(0);
      const records = JSON.parse(json.stdout) as { status: string; dropletId: number; type: string }[];
      expect(records).toHaveLength(10);
      expect(records.every((record) => record.status === 'completed' && record.type === 'reboot')).toBe(true);
      expect(new Set(records.map((record) => record.dropletId)).size).toBe(10);
      expect(csv.code).toBe(0);
      const lines = csv.stdout.trimEnd().split(/\r?\n/);
      expect(lines).toHaveLength(11);
      expect(lines[0]).toBe(
        'policy,scheduledTime,dropletId,dropletName,type,status,actionId,startedAt,completedAt,error,reason,parentActionId,snapshotId,snapshotName,lineageId',
      );
      for (const output of [run, reconcile, json, csv])
        expect(output.stdout + output.stderr).not.toContain(token);
    } finally {
      for (const child of children) child.kill();
      await Promise.all(children.map((child) => child.exited()));
      await rm(work, { recursive: true, force: true });
    }
  });
});
