import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import { SAVINGS_FIELDS, type SavingsRow } from '../../cli/commands/audit-savings';
import { seedLineage } from '../support/lineage-items';
import { runCaptured } from './captured-cli';

const SNAPSHOT_GB_HOUR = 0.06 / 672;

/**
 * February 2026 (28 days, 672 hours), through the state machine into a real local ledger:
 * web-1 ($48) is parked Monday and Tuesday evening and back each morning as a new droplet;
 * cache-1 ($6) is parked over the weekend; old-1 was parked before prices were recorded.
 */
async function seed(storeDir: string): Promise<void> {
  const opened = await openLocalLedger({ storeDir });
  try {
    await seedLineage(opened.ledger, {
      policy: 'office-park',
      dropletId: 9001,
      name: 'web-1',
      price: { hourly: 0.07143, monthly: 48 },
      cycles: [
        {
          parkTick: '2026-02-02T17:00:00.000Z',
          parkedAt: '2026-02-02T17:45:00.000Z',
          snapshotGb: 20,
          unpark: {
            tick: '2026-02-03T09:00:00.000Z',
            createdAt: '2026-02-03T09:01:00.000Z',
            dropletId: 9002,
          },
        },
        {
          parkTick: '2026-02-03T17:00:00.000Z',
          parkedAt: '2026-02-03T17:30:00.000Z',
          snapshotGb: 20,
          unpark: {
            tick: '2026-02-04T09:00:00.000Z',
            createdAt: '2026-02-04T09:01:00.000Z',
            dropletId: 9003,
          },
        },
      ],
    });
    await seedLineage(opened.ledger, {
      policy: 'weekends-park',
      dropletId: 9101,
      name: 'cache-1',
      size: 's-1vcpu-1gb',
      price: { hourly: 0.00893, monthly: 6 },
      cycles: [
        {
          parkTick: '2026-02-06T20:00:00.000Z',
          parkedAt: '2026-02-06T20:20:00.000Z',
          snapshotGb: 25,
          unpark: {
            tick: '2026-02-09T07:00:00.000Z',
            createdAt: '2026-02-09T07:02:00.000Z',
            dropletId: 9102,
          },
        },
      ],
    });
    await seedLineage(opened.ledger, {
      policy: 'weekends-park',
      dropletId: 9201,
      name: 'old-1',
      cycles: [
        { parkTick: '2026-02-06T20:00:00.000Z', parkedAt: '2026-02-06T20:10:00.000Z', snapshotGb: 10 },
      ],
    });
  } finally {
    await opened.close();
  }
}

// By hand, February only, hourly. web-1: without parking one droplet all month, $48 (capped). With
// it, 9001 from 1 Feb to its destroy (41 h 45 min: 42 h), 9002 09:01–17:30 (9 h), 9003 from 4 Feb
// 09:01 to the end of the month (590 h 59 min: 591 h): 642 h × $0.07143; the snapshot 16 h twice.
const WEB_SAVED = 48 - 642 * 0.07143;
const WEB_SNAPSHOTS = 32 * 20 * SNAPSHOT_GB_HOUR;
// cache-1: 9101 for 140 h 20 min (141 h), 9102 from 9 Feb 07:02 (472 h 58 min: 473 h); its 25 GB
// snapshot 58 h 42 min (59 h).
const CACHE_SAVED = 6 - 614 * 0.00893;
const CACHE_SNAPSHOTS = 59 * 25 * SNAPSHOT_GB_HOUR;

interface Report {
  granularity: string;
  lineages: SavingsRow[];
  total: { lineages: number; saved: number; snapshotCost: number; net: number; unpriced: number };
}

describe('audit --savings', () => {
  let dir: string;
  let empty: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-savings-'));
    await seed(path.join(dir, '.droplet-scheduler'));
    empty = path.join(dir, 'empty');
    await mkdir(empty);
    const opened = await openLocalLedger({ storeDir: path.join(empty, '.droplet-scheduler') });
    await opened.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const audit = (...flags: string[]) => runCaptured(['audit', '--savings', ...flags], { cwd: dir });
  const february = ['--since', '2026-02-01', '--until', '2026-02-28'];
  const json = async (...flags: string[]) => {
    const result = await audit(...flags, '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Report;
  };

  test('given lineages in a real ledger, when February is audited as JSON, then each row is the hand-computed saving and the total adds them up', async () => {
    const report = await json(...february);
    expect(report.granularity).toBe('hourly');
    expect(report.lineages.map((row) => row.lineageId)).toEqual([9001, 9101, 9201]);
    expect(Object.keys(report.lineages[0]!)).toEqual([...SAVINGS_FIELDS]);
    expect(report.lineages[0]).toEqual({
      lineageId: 9001,
      dropletId: 9003,
      name: 'web-1',
      policy: 'office-park',
      status: 'active',
      firstMonth: '2026-02',
      lastMonth: '2026-02',
      parks: 2,
      parkedHours: 30.78,
      priceHourly: 0.07143,
      priceMonthly: 48,
      withoutParking: 48,
      dropletCost: Math.round(642 * 0.07143 * 100) / 100,
      saved: Math.round(WEB_SAVED * 100) / 100,
      snapshotCost: Math.round(WEB_SNAPSHOTS * 100) / 100,
      net: Math.round((WEB_SAVED - WEB_SNAPSHOTS) * 100) / 100,
    });
    expect(report.lineages[1]).toMatchObject({
      lineageId: 9101,
      dropletId: 9102,
      saved: Math.round(CACHE_SAVED * 100) / 100,
      snapshotCost: Math.round(CACHE_SNAPSHOTS * 100) / 100,
    });
    // old-1 has no price on record: unknown, not zero, and out of the total.
    expect(report.lineages[2]).toMatchObject({ lineageId: 9201, priceHourly: null, net: null, parks: 1 });
    expect(report.total).toEqual({
      lineages: 3,
      withoutParking: 54,
      dropletCost: Math.round((642 * 0.07143 + 614 * 0.00893) * 100) / 100,
      saved: Math.round((WEB_SAVED + CACHE_SAVED) * 100) / 100,
      snapshotCost: Math.round((WEB_SNAPSHOTS + CACHE_SNAPSHOTS) * 100) / 100,
      net: Math.round((WEB_SAVED + CACHE_SAVED - WEB_SNAPSHOTS - CACHE_SNAPSHOTS) * 100) / 100,
      unpriced: 1,
    });
  });

  test('given the table format, then one row per lineage with both ids, a total line naming the granularity, and what the columns mean', async () => {
    const result = await audit(...february);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^LINEAGE +DROPLET +NAME +POLICY +NOW +MONTHS +PARKS +PARKED +WITHOUT +SAVED +SNAPSHOTS +NET$/,
    );
    expect(lines[1]).toMatch(
      /^ *9001 +9003 +web-1 +office-park +active +2026-02 +2 +30\.8 h +\$48\.00 +\$2\.14 +\$0\.06 +\$2\.08$/,
    );
    expect(lines[2]).toMatch(
      /^ *9101 +9102 +cache-1 +weekends-park +active +2026-02 +1 +58\.7 h +\$6\.00 +\$0\.52 +\$0\.13 +\$0\.39$/,
    );
    expect(lines[3]).toMatch(/^ *9201 +9201 +old-1 +weekends-park +parked +2026-02 +1 +.* h +- +- +- +-$/);
    expect(result.stdout).toContain(
      "total: saved $2.66, snapshots $0.19, net $2.47 (4.6% of $54.00 without parking), 2 droplets; hourly billing (DigitalOcean's pricing page: whole hours, one-hour minimum per droplet)",
    );
    expect(result.stdout).toContain('Whole UTC calendar months, as DigitalOcean caps a droplet per month.');
    expect(result.stdout).toContain(
      "1 droplet has no price on record: its saving is unknown ('-') and left out of the total",
    );
  });

  test('given either id of a parked droplet, when audited, then only its lineage is counted', async () => {
    for (const id of ['9001', '9002', '9003']) {
      const report = await json('--droplet', id, ...february);
      expect(report.lineages.map((row) => row.lineageId)).toEqual([9001]);
    }
    const unknown = await audit('--droplet', '42');
    expect(unknown.stdout.trim()).toBe('Droplet 42 has never been parked (no lineage names it).');
  });

  test('given --policy with the parkSchedule name, then only its lineages are counted', async () => {
    const report = await json('--policy', 'weekends', ...february);
    expect(report.lineages.map((row) => row.lineageId)).toEqual([9101, 9201]);
  });

  test('given --billing per-second, then the exact hours are billed and the total says per-second', async () => {
    const report = await json('--billing', 'per-second', '--droplet', '9001', ...february);
    // 41.75 h + 8 h 29 min + 590 h 59 min; the snapshot 15 h 16 min + 15 h 31 min.
    const droplets = 41.75 + 8 + 29 / 60 + 590 + 59 / 60;
    const parked = 15 + 16 / 60 + 15 + 31 / 60;
    expect(report.granularity).toBe('per-second');
    expect(report.lineages[0]!.net).toBe(
      Math.round((48 - droplets * 0.07143 - parked * 20 * SNAPSHOT_GB_HOUR) * 100) / 100,
    );
    const table = await audit('--billing', 'per-second', ...february);
    expect(table.stdout).toContain('per-second billing (DigitalOcean staff, since 2026-01-01');
  });

  test('given no --since, then every month since the first park is counted, up to now', async () => {
    const report = await json('--droplet', '9001');
    expect(report.lineages[0]!.firstMonth).toBe('2026-02');
    expect(report.lineages[0]!.lastMonth).toBe(new Date().toISOString().slice(0, 7));
  });

  test('given CSV, then the documented header and one record per lineage', async () => {
    const result = await audit('--format', 'csv', ...february);
    expect(result.code).toBe(0);
    const records = result.stdout.split('\r\n');
    expect(records[0]).toBe(SAVINGS_FIELDS.join(','));
    expect(records[1]).toMatch(
      /^9001,9003,web-1,office-park,active,2026-02,2026-02,2,30\.78,0\.07143,48,48,/,
    );
  });

  test('given a ledger with no lineage, then one line says so', async () => {
    const result = await runCaptured(['audit', '--savings'], { cwd: empty });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'No droplet has been parked: the ledger holds no lineage, so parking has saved nothing yet.\n',
    );
  });

  test.each([
    [
      ['--status', 'failed'],
      "--status: expected no --status with --savings (it counts every park of each droplet, one row per droplet), got: 'failed'",
    ],
    [['--billing', 'monthly'], "--billing: expected one of hourly, per-second, got: 'monthly'"],
    [['--droplet', 'web-1'], "--droplet: expected a droplet id (a positive integer), got: 'web-1'"],
  ])('given %j with --savings, then one line naming the flag and exit 1', async (flags, message) => {
    const result = await audit(...flags);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(`error: ${message}`);
  });

  test('given --billing without --savings, then one line says it needs --savings, and exit 1', async () => {
    const result = await runCaptured(['audit', '--billing', 'hourly'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      "error: --billing: expected --savings beside it (it says how a saving is billed), got: 'hourly'",
    );
  });
});
