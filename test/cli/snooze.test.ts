import { ensureLedgerTable } from '../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { startSimulator, type SimulatorHandle } from '../../simulator';
import { startDynalite, type RunningDynalite } from '../support/dynalite';
import { runCliCaptured, workDirWithPolicies } from './run-cli-captured';

const POLICIES = `
defaults: { timezone: Europe/Berlin }
policies:
  - name: weekend-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: staging }
    action: { type: power_off }
  - name: db-reboot
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [400000001, 400000002] }
    action: { type: reboot }
`;

const ID = /override (weekend-off:[a-z0-9]{6})/;

describe('snooze', () => {
  let simulator: SimulatorHandle;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;
  let env: NodeJS.ProcessEnv;
  const cli = (...argv: string[]) => runCliCaptured(argv, { env, cwd: work.dir });

  beforeEach(async () => {
    simulator = await startSimulator({ droplets: 3, tags: { staging: 3 }, timeScale: 600 });
    work = await workDirWithPolicies(POLICIES);
    env = { DIGITALOCEAN_TOKEN: simulator.token, DIGITALOCEAN_API_URL: simulator.url };
  });
  afterEach(async () => {
    await simulator.close();
    await work.remove();
  });

  test('given a snoozed policy, when its tick runs, then nothing is sent, the tick is recorded skipped, audit shows both, and --cancel lets it act again', async () => {
    // Prepare
    const snoozed = await cli('snooze', 'weekend-off', '--until', '2h', '--reason', 'release tonight');
    const id = ID.exec(snoozed.stdout)?.[1];
    // Act
    const run = await cli('run', 'weekend-off');
    const listed = await cli('snooze', '--list');
    const audit = await cli('audit', '--policy', 'weekend-off', '--format', 'json');
    const cancelled = await cli('snooze', '--cancel', id ?? '');
    const after = await cli('snooze', '--list');
    const acted = await cli('run', 'weekend-off', '--at', new Date(Date.now() + 60_000).toISOString());
    // Assess
    expect(snoozed.code).toBe(0);
    expect(snoozed.stdout).toContain(`droplet-scheduler snooze --cancel ${id}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`by override ${id}: "release tonight"`);
    expect(simulator.requestCounts()['POST /v2/droplets/actions']).toBe(1);
    expect(listed.stdout).toMatch(new RegExp(`${id}\\s+all\\s+.*active\\s+release tonight`));
    const rows = JSON.parse(audit.stdout) as { type: string; status: string; reason: string }[];
    expect(rows.map((row) => [row.type, row.status]).sort()).toEqual([
      ['power_off', 'skipped'],
      ['snooze', 'active'],
    ]);
    expect(rows.find((row) => row.type === 'snooze')!.reason).toMatch(
      new RegExp(`override ${id} until .*"release tonight"; 1 skipped row shown`),
    );
    expect(cancelled.stdout).toContain(`cancelled override ${id}: weekend-off acts again from its next tick`);
    expect(after.stdout).toContain('No overrides in force');
    expect(acted.code).toBe(0);
    expect(simulator.requestCounts()['POST /v2/droplets/actions']).toBe(1);
  });

  test('given snoozes in the store, when run --dry-run, then it shows what they leave alone and sends nothing', async () => {
    // Prepare: no store yet, then a snooze of one droplet, then of the whole policy.
    const before = await cli('run', 'db-reboot', '--dry-run');
    await cli('snooze', 'db-reboot', '--droplet', '400000002', '--until', '2h', '--reason', 'disk check');
    const oneDroplet = await cli('run', 'db-reboot', '--dry-run');
    await cli('snooze', 'weekend-off', '--until', '2h');
    const wholePolicy = await cli('run', 'weekend-off', '--dry-run');
    // Assess
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('POST /v2/droplets/400000002/actions');
    expect(oneDroplet.code).toBe(0);
    expect(oneDroplet.stdout).toMatch(
      /skip droplet 400000002 .*: snoozed until .* by override db-reboot:[a-z0-9]{6}: "disk check"/,
    );
    expect(oneDroplet.stdout).toContain('POST /v2/droplets/400000001/actions');
    expect(oneDroplet.stdout).not.toContain('POST /v2/droplets/400000002/actions');
    expect(wholePolicy.code).toBe(0);
    expect(wholePolicy.stdout).toMatch(
      /the tick would be skipped: snoozed until .* by override weekend-off:[a-z0-9]{6}/,
    );
    expect(simulator.requestCounts()['POST /v2/droplets/actions'] ?? 0).toBe(0);
    expect(Object.entries(simulator.requestCounts()).filter(([route]) => route.startsWith('POST'))).toEqual(
      [],
    );
  });

  test.each([
    [
      ['weekend-off'],
      "--until: expected when the policy acts again, e.g. --until 22:00 or --until 2h, got: 'nothing'",
    ],
    [
      ['weekend-off', '--until', '2020-01-01T00:00'],
      '--until: expected a time in the future (2019-12-31T23:00:00.000Z has passed',
    ],
    [['weekend-off', '--until', 'tonight'], '(Europe/Berlin), an ISO 8601 time with an offset'],
    [
      ['weekend-off', '--until', '2027-03-28T02:30'],
      '--until: expected a local time that exists in Europe/Berlin',
    ],
    [['weekend-off', '--until', '400d'], '--until: expected a time at most 365 days ahead'],
    [
      ['db-reboot', '--until', '2h', '--droplet', '7'],
      "--droplet: expected one of db-reboot's droplet ids (400000001, 400000002), got: '7'",
    ],
    [
      ['nightly', '--until', '2h'],
      "POLICY: expected one of the policies in ./policies.yaml: weekend-off, db-reboot, got: 'nightly'",
    ],
    [['--cancel', 'weekend-off'], '--cancel: expected an override id such as weekend-off:k3x9q2'],
    [['--cancel', 'weekend-off:abcdef'], '--cancel: expected the id of an override of weekend-off on record'],
    [['--list', '--until', '2h'], "--until: expected no --until with --list, got: '2h'"],
  ])(
    'given %j, then exit 1 with one line naming the flag, the value and what was expected',
    async (argv, message) => {
      const result = await cli('snooze', ...argv);

      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
    },
  );
});

describe('snooze against a deployed table (--table, here dynalite)', () => {
  let dynalite: RunningDynalite;
  let work: Awaited<ReturnType<typeof workDirWithPolicies>>;

  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    dynalite = await startDynalite();
    await ensureLedgerTable(dynalite.client, 'droplet-scheduler-ledger');
    // The AWS SDK reads its credentials from the process environment, not from the CLI's context.
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  });
  afterAll(async () => {
    await dynalite.close();
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  beforeEach(async () => {
    work = await workDirWithPolicies(POLICIES);
  });
  afterEach(async () => {
    await work.remove();
  });

  test('given --table, when snoozed, listed and cancelled, then the table holds the override and its end', async () => {
    const env = {};
    const table = [
      '--table',
      'droplet-scheduler-ledger',
      '--region',
      'eu-central-1',
      '--endpoint',
      dynalite.endpoint,
    ];
    const cli = (...argv: string[]) => runCliCaptured(argv, { env, cwd: work.dir });

    const snoozed = await cli('snooze', 'weekend-off', '--until', '22:00', ...table);
    const id = ID.exec(snoozed.stdout)?.[1];
    const listed = await cli('snooze', '--list', ...table);
    const cancelled = await cli('snooze', '--cancel', id ?? '', ...table);
    const all = await cli('snooze', '--list', '--all', ...table);

    expect(snoozed.stderr).toBe('');
    expect(snoozed.code).toBe(0);
    expect(snoozed.stdout).toContain(`--cancel ${id} --table droplet-scheduler-ledger --region eu-central-1`);
    expect(snoozed.stdout).toMatch(/until \w{3} \d{4}-\d{2}-\d{2} 22:00 \+0[12]:00/);
    expect(listed.stdout).toContain(id);
    expect(cancelled.code).toBe(0);
    expect(all.stdout).toMatch(new RegExp(`${id}\\s+all\\s+.*cancelled`));
  });
});
