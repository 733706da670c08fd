import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

/** Parks the `night` droplets, allowing neither a new public IP nor lost backups. */
const POLICIES = `
defaults: { timezone: UTC }
policies:
  - name: nights
    parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }
    targets: { tag: night }
`;

const TICK = '2026-11-27T20:00:00Z';

describe('parking leaves alone what it would lose, and says so before anything happens', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let env: NodeJS.ProcessEnv;
  let ids: { safe: number; noReservedIp: number; withBackups: number };

  beforeEach(async () => {
    simulator = await startSimulator({
      droplets: 0,
      timeScale: 600,
      seedDroplets: [
        { id: 400000101, name: 'safe', tags: ['night'], region: 'fra1' },
        { id: 400000102, name: 'no-reserved-ip', tags: ['night'], region: 'fra1' },
        { id: 400000103, name: 'with-backups', tags: ['night'], region: 'fra1', backups: true },
      ],
      reservedIps: [
        { ip: '192.0.2.1', dropletId: 400000101 },
        { ip: '192.0.2.3', dropletId: 400000103 },
      ],
    });
    ids = { safe: 400000101, noReservedIp: 400000102, withBackups: 400000103 };
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
  });

  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given a droplet without a reserved IP and one with backups, when run --dry-run, then both are listed as left running with what they would lose', async () => {
    const result = await runCliCaptured(['run', 'nights-park', '--dry-run', '--at', TICK], {
      env,
      cwd: work.dir,
    });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /skip droplet 400000102 \(no-reserved-ip\): left running: parking would lose its public IPv4 .*allowIpChange is false/,
    );
    expect(result.stdout).toMatch(
      /skip droplet 400000103 \(with-backups\): left running: parking would lose its backups .*allowBackupLoss is false/,
    );
    expect(result.stdout).toContain(`POST /v2/droplets/${ids.safe}/actions {"type":"shutdown"}`);
    expect(result.stdout).toContain('DELETE /v2/droplets/{id}');
    expect(Object.keys(simulator.requestCounts()).filter((key) => !key.startsWith('GET'))).toEqual([]);
  });

  test('given the same droplets, when the park tick runs, then it touches neither and records each skipped with what it would lose', async () => {
    const run = await runCliCaptured(['run', 'nights-park', '--at', TICK, '--time-scale', '600'], {
      env,
      cwd: work.dir,
    });
    expect(run.code).toBe(0);
    const settle = await runCliCaptured(
      ['reconcile', '--until-settled', '--timeout', '60s', '--time-scale', '600'],
      {
        env,
        cwd: work.dir,
      },
    );
    expect(settle.code).toBe(0);

    const opened = await openLocalLedger({ storeDir: `${work.dir}/.droplet-scheduler` });
    let items: ActionRecord[];
    try {
      items = (await opened.ledger.queryByPolicy('nights-park', { limit: 1000 })).items.filter(
        (item): item is ActionRecord => item.kind === 'action',
      );
    } finally {
      await opened.close();
    }
    const byDroplet = (id: number) =>
      items.filter((item) => item.dropletId === id).map((item) => `${item.type} ${item.status}`);
    expect(byDroplet(ids.noReservedIp)).toEqual(['inspect skipped']);
    expect(byDroplet(ids.withBackups)).toEqual(['inspect skipped']);
    expect(items.find((item) => item.dropletId === ids.withBackups)?.reason).toMatch(/backups/);
    expect(byDroplet(ids.safe)).toContain('destroy completed');
    const state = simulator.state();
    for (const id of [ids.noReservedIp, ids.withBackups]) {
      expect(state.droplets.find((droplet) => droplet.id === id)?.status).toBe('active');
      expect(state.actions.filter((action) => action.resourceId === id)).toEqual([]);
    }
    expect(state.droplets.find((droplet) => droplet.id === ids.safe)).toBeUndefined();
  });
});
