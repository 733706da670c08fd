import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';
import { runCaptured } from './captured-cli';

/** The documented example: Mon–Fri 09:00–17:00 running, parked otherwise, on a $48 droplet with 20 GB used. */
const POLICIES = `
defaults: { timezone: UTC }
policies:
  - name: office
    parkSchedule: { park: '17:00', unpark: '09:00', days: MON-FRI }
    targets: { tag: office }
    allowIpChange: true
  - name: by-id
    parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }
    targets: { dropletIds: [500000002, 999] }
    allowIpChange: true
`;

describe('plan: the expected saving of a park policy', () => {
  let dir: string;
  let file: string;
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'plan-savings-'));
    file = path.join(dir, 'policies.yaml');
    await writeFile(file, POLICIES);
    ({ simulator, api } = await startTestSimulator({
      droplets: 0,
      seedDroplets: [
        { id: 500000001, name: 'office-1', sizeSlug: 's-4vcpu-8gb', usedDiskGb: 20, tags: ['office'] },
        { id: 500000002, name: 'other-1', sizeSlug: 's-1vcpu-1gb', tags: [] },
        // Backups, under a policy that does not allow losing them: the park leaves it running, so it saves nothing.
        { id: 500000003, name: 'db-1', sizeSlug: 's-2vcpu-4gb', backups: true, tags: ['office'] },
      ],
    }));
    // A snapshot of the office droplet, so that plan measures its used disk from it.
    const started = await api.post('/v2/droplets/500000001/actions', { type: 'snapshot', name: 'before' });
    expect(started.status).toBe(201);
    simulator.advance(3 * 60 * 60_000);
    const done = await api.get(`/v2/actions/${started.body.action.id}`);
    expect(done.body.action.status).toBe('completed');
  });
  afterAll(async () => {
    await simulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const plan = (...flags: string[]) =>
    runCaptured(
      [
        'plan',
        '-f',
        file,
        '--from',
        '2027-01-01T00:00Z',
        '--count',
        '1',
        '--api-url',
        simulator.url,
        ...flags,
      ],
      {
        env: { DIGITALOCEAN_TOKEN: simulator.token },
      },
    );
  const section = (stdout: string, name: string) =>
    stdout.split('\n\n').find((s) => s.startsWith(`${name} `))!;

  test('given the documented example and a token, when planned, then the saving is the model figure, hourly by default, with its price, hours, cap and snapshot', async () => {
    const result = await plan();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const office = section(result.stdout, 'office-park');
    expect(office).toContain(
      "  saving:   $32.99 a month (68.7% of $48.00), 1 droplet (left out: 1 the park would leave running, since it would lose what the policy does not allow); hourly billing (DigitalOcean's pricing page: whole hours, one-hour minimum per droplet)\n",
    );
    expect(office).toContain(
      '            prices: s-4vcpu-8gb $0.07143/h ($48.00 a month), each capped at its monthly price (GET /v2/sizes)\n',
    );
    expect(office).toContain(
      '            parked 556 h of an average 730 h month; running 196 h billed a month, as 21.8 droplets a month (every unpark creates one, billed on its own until its destroy ~45 min after the park tick)\n',
    );
    expect(office).toContain(
      '            snapshots: 20 GB (estimate from its newest snapshot), $1.03 a month at $0.06 per GB-month',
    );
    expect(section(result.stdout, 'office-unpark')).not.toContain('saving:');
    expect(result.stdout).not.toContain(simulator.token);
  });

  test('given a droplet with backups under a policy that does not allow losing them, when planned, then plan names it as one the park leaves running, with the reason the tick will record', async () => {
    const result = await plan();
    expect(result.code).toBe(0);
    const office = section(result.stdout, 'office-park');
    expect(office).toMatch(
      /^ {2}skips: {4}db-1 \(500000003\): left running: parking would lose its backups \(1 kept\): destroying a droplet deletes them \(allowBackupLoss is false\)$/m,
    );
    expect(office).not.toMatch(/skips:.*office-1/);
  });

  test('given --billing per-second, then the figure says so and is the per-second one', async () => {
    const result = await plan('--billing', 'per-second');
    expect(result.code).toBe(0);
    expect(section(result.stdout, 'office-park')).toContain(
      '  saving:   $33.41 a month (69.6% of $48.00), 1 droplet (left out: 1 the park would leave running, since it would lose what the policy does not allow); per-second billing (DigitalOcean staff, since 2026-01-01: minimum 60 s or $0.01 per droplet)\n',
    );
  });

  test('given droplets by id, one gone and one without a snapshot, then the gone one is left out and the disk bounds the snapshot, so the saving is "at least"', async () => {
    const result = await plan();
    const byId = section(result.stdout, 'by-id-park');
    // 13 h a weekday plus a 55-minute park (a 25 GB snapshot at most), billed as 14 h: 261 × 14 / 12 = 304.5 h.
    expect(byId).toContain(
      '  saving:   at least $2.23 a month (at least 37.2% of $6.00), 1 droplet (left out: 1 not on DigitalOcean now (999; parked, or gone)); hourly billing',
    );
    expect(byId).toContain('running 305 h billed a month');
    expect(byId).toContain('snapshots: 25 GB (at most its disk: no snapshot of it yet to measure)');
  });

  test('given no token, then the saving is unknown and says why, in one line, with what the schedule alone says', async () => {
    const result = await runCaptured(['plan', '-f', file, '--from', '2027-01-01T00:00Z', '--count', '1']);
    expect(result.code).toBe(0);
    expect(section(result.stdout, 'office-park')).toContain(
      '  saving:   unknown without DIGITALOCEAN_TOKEN (prices come from GET /v2/sizes); by its schedule it parks 556 h of an average 730 h month (76.2%)\n',
    );
  });

  test('given ids only and DigitalOcean refusing the token, then the saving is unknown and plan still succeeds', async () => {
    const only = path.join(dir, 'ids.yaml');
    await writeFile(
      only,
      [
        'defaults: { timezone: UTC }',
        'policies:',
        '  - name: by-id',
        "    parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }",
        '    targets: { dropletIds: [500000002] }',
        '    allowIpChange: true',
      ].join('\n'),
    );
    const result = await runCaptured(
      ['plan', '-f', only, '--from', '2027-01-01T00:00Z', '--count', '1', '--api-url', simulator.url],
      { env: { DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` } },
    );
    expect(result.code).toBe(0);
    expect(section(result.stdout, 'by-id-park')).toMatch(
      /^ {2}saving: {3}unknown: DigitalOcean did not answer for it \(.*\); by its schedule it parks \d+ h of an average 730 h month \([\d.]+%\)$/m,
    );
  });

  test.each([['weekly'], ['HOURLY'], ['']])(
    'given --billing %j, then one line naming the flag, the value and the choices, and exit 1',
    async (value) => {
      const result = await runCaptured(['plan', '-f', file, '--billing', value]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(
        `error: --billing: expected one of hourly, per-second, got: '${value}'`,
      );
    },
  );
});

describe('plan: the expected saving of a park policy whose tag holds a skip-tagged droplet', () => {
  let dir: string;
  let file: string;
  let simulator: SimulatorHandle;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'plan-savings-skip-'));
    file = path.join(dir, 'policies.yaml');
    await writeFile(
      file,
      [
        'defaults: { timezone: UTC }',
        'policies:',
        '  - name: lab',
        "    parkSchedule: { park: '17:00', unpark: '09:00', days: MON-FRI }",
        '    targets: { tag: lab }',
        '    allowIpChange: true',
      ].join('\n'),
    );
    ({ simulator } = await startTestSimulator({
      droplets: 0,
      seedDroplets: [
        { id: 500000011, name: 'lab-1', sizeSlug: 's-4vcpu-8gb', usedDiskGb: 20, tags: ['lab'] },
        {
          id: 500000012,
          name: 'lab-debug',
          sizeSlug: 's-4vcpu-8gb',
          usedDiskGb: 20,
          tags: ['lab', 'droplet-scheduler-skip-lab-park'],
        },
      ],
    }));
  });
  afterAll(async () => {
    await simulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('given a droplet of the tag carrying the park policy’s skip tag, when planned, then it is left out of the saving and listed under skips with the reason the tick will record', async () => {
    const result = await runCaptured(
      ['plan', '-f', file, '--from', '2027-01-01T00:00Z', '--count', '1', '--api-url', simulator.url],
      { env: { DIGITALOCEAN_TOKEN: simulator.token } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const park = result.stdout.split('\n\n').find((s) => s.startsWith('lab-park '))!;
    expect(park).toMatch(
      /^ {2}saving: {3}(at least )?\$[\d.]+ a month \((at least )?[\d.]+% of \$48\.00\), 1 droplet \(left out: 1 left alone by a skip tag \(docs\/overrides\.md\)\);/m,
    );
    expect(park).toMatch(
      /^ {2}skips: {4}lab-debug \(500000012\): the droplet carries the tag droplet-scheduler-skip-lab-park$/m,
    );
    expect(park).not.toMatch(/skips:.*lab-1/);
  });
});
