import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator } from '../support/start-simulator';
import { runCaptured } from './captured-cli';

const POLICIES = `
defaults:
  timezone: Europe/Berlin
policies:
  - name: monday-nine
    schedule: cron(0 9 ? * 2 *)
    targets: { tag: staging }
    action: { type: reboot }
    skipDates: [2026-03-30]
  - name: paused
    enabled: false
    schedule: cron(0 2 * * ? *)
    targets: { tag: production }
    action: { type: snapshot }
  - name: weekend-off
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: staging }
    action: { type: shutdown, fallback: power_off }
  - name: nightly-snapshots
    schedule: cron(0 2 * * ? *)
    targets: { tag: staging }
    action: { type: snapshot }
    retention: { keepLast: 7 }
  - name: two-by-id
    schedule: cron(0 3 * * ? *)
    targets: { dropletIds: [1, 2] }
    action: { type: power_on }
  - name: office-hours
    powerSchedule: { on: '07:00', off: '19:00', days: MON-FRI }
    targets: { tag: staging }
`;

interface Planned {
  policy: string;
  timezone: string;
  fireTimes: string[];
  localFireTimes: string[];
  skippedTimes: string[];
}

describe('plan', () => {
  let dir: string;
  let file: string;
  let simulator: SimulatorHandle;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'plan-'));
    file = path.join(dir, 'policies.yaml');
    await writeFile(file, POLICIES);
    ({ simulator } = await startTestSimulator({ droplets: 450, tags: { staging: 450 } }));
  });
  afterAll(async () => {
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function planJson(from: string, count: number): Promise<Planned[]> {
    const result = await runCaptured([
      'plan',
      '-f',
      file,
      '--from',
      from,
      '--count',
      String(count),
      '--json',
    ]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Planned[];
  }

  test('given cron(0 9 ? * 2 *) in Europe/Berlin across the March change, when planned as JSON, then Mondays are 08:00 then 07:00 UTC', async () => {
    const planned = await planJson('2026-03-16T00:00:00Z', 4);
    expect(planned[0]).toEqual({
      policy: 'monday-nine',
      timezone: 'Europe/Berlin',
      fireTimes: [
        '2026-03-16T08:00:00.000Z',
        '2026-03-23T08:00:00.000Z',
        '2026-03-30T07:00:00.000Z',
        '2026-04-06T07:00:00.000Z',
      ],
      localFireTimes: [
        '2026-03-16T09:00:00+01:00',
        '2026-03-23T09:00:00+01:00',
        '2026-03-30T09:00:00+02:00',
        '2026-04-06T09:00:00+02:00',
      ],
      skippedTimes: ['2026-03-30T07:00:00.000Z'],
    });
  });

  test('given the same policy across the October change, when planned as JSON, then Mondays go from 07:00 to 08:00 UTC', async () => {
    const planned = await planJson('2026-10-19T00:00:00Z', 2);
    expect(planned[0]!.fireTimes).toEqual(['2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z']);
    for (const time of planned.flatMap((p) => p.fireTimes))
      expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('given a disabled policy, when planned as JSON, then its fireTimes is empty', async () => {
    const planned = await planJson('2026-03-16T00:00:00Z', 3);
    expect(planned.find((p) => p.policy === 'paused')).toEqual({
      policy: 'paused',
      timezone: 'Europe/Berlin',
      fireTimes: [],
      localFireTimes: [],
      skippedTimes: [],
    });
    expect(planned.map((p) => p.policy)).toEqual([
      'monday-nine',
      'paused',
      'weekend-off',
      'nightly-snapshots',
      'two-by-id',
      'office-hours-on',
      'office-hours-off',
    ]);
  });

  test('given no token, when planned, then times show in local time and UTC, skip dates are marked, tags are not resolved and power policies carry the billing note', async () => {
    const result = await runCaptured(['plan', '-f', file, '--from', '2026-03-16T00:00Z', '--count', '3']);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('Mon 2026-03-23 09:00 +01:00   2026-03-23T08:00Z');
    expect(out).toContain(
      'Mon 2026-03-30 09:00 +02:00   2026-03-30T07:00Z   skipped (skipDates: 2026-03-30)',
    );
    expect(out).toContain('tag staging (not resolved: no DIGITALOCEAN_TOKEN)');
    const sections = out.split('\n\n');
    const section = (name: string) => sections.find((s) => s.startsWith(name))!;
    const billing =
      'DigitalOcean bills powered-off droplets: a power schedule on its own saves nothing on the bill.';
    for (const name of ['weekend-off', 'two-by-id', 'office-hours-on', 'office-hours-off']) {
      expect(section(name)).toContain(billing);
    }
    for (const name of ['monday-nine', 'nightly-snapshots', 'paused'])
      expect(section(name)).not.toContain(billing);
    expect(section('paused')).toContain('disabled: no fire times');
    expect(out).not.toMatch(/\$\s?\d|saves? (you )?\d|% /);
    expect(section('two-by-id')).toContain(
      'budget:   6 requests per tick (2 skip-tag lists, 2 droplet GETs, 2 POSTs)',
    );
    expect(section('two-by-id')).toContain(
      'skip:     droplets tagged droplet-scheduler-skip or droplet-scheduler-skip-two-by-id are left alone (2 list requests a tick, more only past 200 such droplets)',
    );
  });

  test('given a token, when planned, then tags are counted through the API and budgets differ for bulk and per droplet', async () => {
    const env = { DIGITALOCEAN_TOKEN: simulator.token };
    const result = await runCaptured(
      ['plan', '-f', file, '--from', '2026-03-16T00:00Z', '--count', '2', '--api-url', simulator.url],
      { env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sections = result.stdout.split('\n\n');
    const section = (name: string) => sections.find((s) => s.startsWith(name))!;
    expect(section('weekend-off')).toContain('targets:  tag staging: 450 droplets');
    expect(section('weekend-off')).toContain('action:   shutdown, one bulk request for the whole tag');
    expect(section('weekend-off')).toMatch(
      /budget: {3}3 requests per tick \(2 skip-tag lists, 1 bulk POST\), <0\.1 min at 250\/minute and 5,000\/hour; reconcile ~3 reads per check; follow-ups up to 450 requests/,
    );
    expect(section('weekend-off')).toContain(
      'while one of them (or a snoozed droplet) is in tag staging, a tick goes one request per droplet: 455 requests instead of 3',
    );
    expect(section('nightly-snapshots')).toContain("the tag's own list shows them, no extra request");
    expect(section('nightly-snapshots')).toContain('snapshots never go in bulk');
    expect(section('nightly-snapshots')).toMatch(
      /budget: {3}453 requests per tick \(3 droplet list pages, 450 POSTs\), 1\.8 min at 250\/minute and 5,000\/hour; reconcile ~3 reads per check; follow-ups up to 900 requests/,
    );
    expect(result.stdout).not.toContain(simulator.token);
  });

  test('given a workflow and a parkSchedule on a tag, when planned with a token, then steps, parking, losses and every request are shown, with no billing note', async () => {
    const workflows = path.join(dir, 'workflows.yaml');
    await writeFile(
      workflows,
      [
        'defaults: { timezone: Europe/Berlin }',
        'policies:',
        '  - name: offline-snapshot',
        '    schedule: cron(0 3 ? * SUN *)',
        '    targets: { tag: staging }',
        '    steps: [{ type: shutdown, fallback: power_off }, { type: snapshot }, { type: power_on }]',
        '    onFailure: { type: power_on }',
        '    retention: { keepLast: 2 }',
        '  - name: nights',
        "    parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }",
        '    targets: { tag: staging }',
        '    allowIpChange: true',
        '  - name: office',
        "    powerSchedule: { off: '19:00', days: MON-FRI }",
        '    targets: { tag: staging }',
      ].join('\n'),
    );
    const result = await runCaptured(
      ['plan', '-f', workflows, '--from', '2026-03-16T00:00Z', '--count', '1', '--api-url', simulator.url],
      { env: { DIGITALOCEAN_TOKEN: simulator.token } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const sections = result.stdout.split('\n\n');
    const section = (name: string) => sections.find((s) => s.startsWith(`${name} `))!;
    const billing = 'a power schedule on its own saves nothing on the bill';

    const offline = section('offline-snapshot');
    expect(offline).toContain(
      '  steps:    shutdown (fallback power_off) → snapshot → power_on; on failure: power_on\n',
    );
    expect(offline).toContain(
      '  action:   shutdown first, one bulk request for the whole tag; later steps one request per droplet each\n',
    );
    // 450 droplets: two skip-tag lists before the bulk POST; a snapshot and a power_on each later; at worst a power_off, an onFailure, a list and a deletion each.
    expect(offline).toMatch(
      /budget: {3}3 requests per tick \(2 skip-tag lists, 1 bulk POST\), .*; reconcile ~3 reads per check; later 900 requests; follow-ups up to 1,800 requests/,
    );
    expect(offline).not.toContain(billing);

    const park = section('nights-park');
    expect(park).toContain('(from parkSchedule nights)');
    expect(park).toContain(
      '  parks:    shutdown (fallback power_off) → snapshot → confirm it is listed → record its spec → detach volumes → destroy\n',
    );
    expect(park).toContain(
      '  may lose: the public IPv4 of droplets without a reserved IP (allowIpChange); droplets with backups enabled are skipped, not parked\n',
    );
    expect(park).toContain('  action:   one request per droplet (parking goes droplet by droplet)\n');
    expect(park).toMatch(
      /budget: {3}2,253 requests per tick \(3 droplet list pages, 1,800 check reads, 450 POSTs\), 9 min at 250\/minute and 5,000\/hour; reconcile ~3 reads per check; later 2,250 requests; follow-ups up to 450 requests/,
    );
    // No droplet has a snapshot yet, so each one's disk bounds its snapshot and the saving is a floor.
    expect(park).toMatch(
      /\n {2}saving: {3}at least \$[\d,.]+ a month \(at least [\d.]+% of \$[\d,.]+\), 450 droplets; hourly billing/,
    );
    expect(park).toContain('at most their disk: no snapshot of them yet to measure');
    expect(park).not.toContain(billing);

    const unpark = section('nights-unpark');
    expect(unpark).toContain('  unparks:  the droplets nights-park parked: create from its park snapshot →');
    expect(unpark).toContain('→ delete the park snapshot\n');
    expect(unpark).not.toContain('saving:');
    expect(unpark).not.toContain(billing);

    expect(section('office-off')).toContain(
      `${billing}. A parkSchedule (snapshot, destroy, recreate) is what cuts it`,
    );
  });

  test('given a tick that cannot start its droplets before the next one, when planned with a token, then it warns by how much', async () => {
    const fast = path.join(dir, 'fast.yaml');
    await writeFile(
      fast,
      'defaults: { timezone: UTC }\npolicies:\n  - { name: every-minute, schedule: rate(1 minute), targets: { tag: staging }, action: { type: reboot } }\n',
    );
    const result = await runCaptured(['plan', '-f', fast, '--count', '1', '--api-url', simulator.url], {
      env: { DIGITALOCEAN_TOKEN: simulator.token },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /warning: a tick needs 453 requests for 450 droplets, about 1\.8 min at 250\/minute and 5,000\/hour, but the next tick comes 1 min later: 0\.8 min over/,
    );
  });

  test('given a wrong token, when planned, then one line and exit code 1', async () => {
    const result = await runCaptured(['plan', '-f', file, '--api-url', simulator.url], {
      env: { DIGITALOCEAN_TOKEN: `dop_v1_${'0'.repeat(64)}` },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(2);
    expect(result.stderr).toMatch(/^error: /);
  });

  test.each([
    [['--count', '0'], "--count: expected an integer from 1 to 1000, got: '0'"],
    [['--count', 'many'], "--count: expected an integer from 1 to 1000, got: 'many'"],
    [['--from', 'yesterday'], '--from: expected an ISO 8601 time'],
    [['--fromm', '2026-01-01'], "unknown option '--fromm'"],
  ])('given bad flags %j, when planned, then one clear line and exit code 1', async (flags, message) => {
    const result = await runCaptured(['plan', '-f', file, ...flags]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // commander may add its "(Did you mean --from?)" hint on a second line.
    const [first, ...rest] = result.stderr.trim().split('\n');
    expect(first).toContain(message);
    expect(rest.every((line) => line.startsWith('(Did you mean'))).toBe(true);
  });

  test('given --help, then it shows examples', async () => {
    const result = await runCaptured(['plan', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ droplet-scheduler plan --from 2026-03-23T00:00Z --count 3 --json');
  });

  it("given policies of two teams, prints each team's own API budget for one tick", async () => {
    const teams = path.join(dir, 'teams.yaml');
    await writeFile(
      teams,
      `
defaults:
  timezone: UTC
policies:
  - name: nightly
    team: platform
    schedule: cron(0 2 * * ? *)
    targets: { dropletIds: [1, 2, 3] }
    action: { type: snapshot }
  - name: web-off
    team: web-shop
    schedule: cron(0 20 * * ? *)
    targets: { tag: staging }
    action: { type: power_off }
`,
    );

    const result = await runCaptured(['plan', '-f', teams, '--count', '1']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('teams (each its own token, rate limiter and initiate concurrency)');
    // Each tick lists the two skip tags before it starts anything.
    expect(result.stdout).toMatch(/platform: 1 policy; all on one tick: 5 requests/);
    expect(result.stdout).toMatch(/web-shop: 1 policy; all on one tick: 3 requests,/);
  });
});
