import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openLocalLedger } from '../../lambdas/adapters/local/open-local-ledger';
import type { ActionType } from '../../lambdas/core/actions/action-catalog';
import { actionId, deletionId } from '../../lambdas/core/ledger/item-id';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { applyEvent } from '../support/ledger-items';
import { AUDIT_FIELDS } from '../../cli/format/audit-row';
import { csvField, toCsv } from '../../cli/format/csv';
import { renderTable } from '../../cli/format/table';
import { parseTimeFlag } from '../../cli/format/time-flag';
import { runCaptured } from './captured-cli';

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
/** A tick: the instant to its minute, as the ledger keeps ticks. */
const tickAgo = (ms: number) => new Date(Math.floor((NOW - ms) / 60_000) * 60_000).toISOString();
const QUOTED_ERROR = 'disk "full", retry later\nthen call support';

interface Seed {
  policy: string;
  tick: string;
  dropletId: number;
  name?: string;
  type: ActionType;
  end: 'completed' | 'errored' | 'timed-out' | 'rejected' | 'skipped';
  message?: string;
  actionId?: number;
}

async function seed(ledger: ActionLedger, clock: { now: number }, rows: Seed[]): Promise<void> {
  for (const row of rows) {
    clock.now = Date.parse(row.tick) + 1000;
    const at = () => ({ now: new Date(clock.now) });
    const id = actionId(row.policy, row.tick, row.dropletId);
    const init = {
      kind: 'action' as const,
      policy: row.policy,
      scheduledTime: row.tick,
      dropletId: row.dropletId,
      dropletName: row.name,
      type: row.type,
      mode: 'per-droplet' as const,
    };
    if (row.end === 'rejected' || row.end === 'skipped') {
      await applyEvent(
        ledger,
        id,
        row.end === 'skipped'
          ? { type: 'skip', init, reason: row.message! }
          : { type: 'reject', init, error: { code: 'unprocessable_entity', message: row.message! } },
        at(),
      );
      await applyEvent(ledger, id, { type: 'effects-done', done: ['event'] }, at());
      continue;
    }
    const claimed = (await applyEvent(ledger, id, { type: 'claim', init }, at())) as ActionRecord;
    const startedAt = new Date(clock.now + 2000).toISOString();
    await applyEvent(
      ledger,
      id,
      {
        type: 'started',
        attempts: claimed.attempts,
        action: { actionId: row.actionId!, startedAt, dueAt: new Date(clock.now + 60_000).toISOString() },
      },
      at(),
    );
    clock.now += 60_000;
    const completedAt = new Date(clock.now).toISOString();
    const error = {
      code: row.end === 'timed-out' ? 'timed_out' : 'action_errored',
      message: row.message ?? '',
    };
    await applyEvent(
      ledger,
      id,
      row.end === 'completed'
        ? { type: 'completed', actionId: row.actionId!, completedAt }
        : row.end === 'timed-out'
          ? { type: 'timed-out', actionId: row.actionId!, error }
          : { type: 'errored', actionId: row.actionId!, completedAt, error },
      at(),
    );
    await applyEvent(ledger, id, { type: 'effects-done', done: ['event'] }, at());
  }
}

interface Row {
  policy: string;
  scheduledTime: string;
  dropletId: number;
  dropletName: string | null;
  type: string;
  status: string;
  actionId: number | null;
  startedAt: string | null;
  completedAt: string | null;
  error: string | null;
}

describe('audit', () => {
  let dir: string;
  const nightly = tickAgo(2 * DAY);
  const weekend = tickAgo(1 * DAY);
  const old = tickAgo(10 * DAY);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'audit-'));
    const clock = { now: NOW };
    const opened = await openLocalLedger({
      storeDir: path.join(dir, '.droplet-scheduler'),
      now: () => clock.now,
    });
    try {
      await seed(opened.ledger, clock, [
        {
          policy: 'nightly',
          tick: old,
          dropletId: 42,
          name: 'web-42',
          type: 'snapshot',
          end: 'completed',
          actionId: 900,
        },
        {
          policy: 'nightly',
          tick: nightly,
          dropletId: 42,
          name: 'web-42',
          type: 'snapshot',
          end: 'completed',
          actionId: 901,
        },
        {
          policy: 'nightly',
          tick: nightly,
          dropletId: 43,
          name: 'web,43',
          type: 'snapshot',
          end: 'errored',
          actionId: 902,
          message: QUOTED_ERROR,
        },
        {
          policy: 'weekend-off',
          tick: weekend,
          dropletId: 42,
          name: 'web-42',
          type: 'shutdown',
          end: 'timed-out',
          actionId: 903,
          message: 'no answer within 5 minutes',
        },
        {
          policy: 'weekend-off',
          tick: weekend,
          dropletId: 44,
          type: 'shutdown',
          end: 'rejected',
          message: 'Droplet already has a pending event.',
        },
        {
          policy: 'weekend-off',
          tick: weekend,
          dropletId: 45,
          type: 'shutdown',
          end: 'skipped',
          message: 'droplet already off',
        },
      ]);
      clock.now = Date.parse(nightly) + 5 * 60_000;
      const deletion = deletionId('nightly', nightly, 42, 7001);
      const now = { now: new Date(clock.now) };
      const claimedDeletion = await applyEvent(
        opened.ledger,
        deletion,
        {
          type: 'claim',
          init: {
            kind: 'snapshot-deletion',
            policy: 'nightly',
            scheduledTime: nightly,
            dropletId: 42,
            snapshotId: 7001,
            snapshotName: 'nightly--42-20261101-0100',
            snapshotCreatedAt: old,
            rule: 'keepLast',
          },
        },
        now,
      );
      await applyEvent(
        opened.ledger,
        deletion,
        {
          type: 'deleted',
          attempts: (claimedDeletion as { attempts: number }).attempts,
          deletedAt: new Date(clock.now).toISOString(),
        },
        now,
      );
      await applyEvent(opened.ledger, deletion, { type: 'effects-done', done: ['event'] }, now);
    } finally {
      await opened.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const audit = (...flags: string[]) => runCaptured(['audit', ...flags], { cwd: dir });
  const json = async (...flags: string[]) => {
    const result = await audit(...flags, '--format', 'json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Row[];
  };

  test('given a droplet, when audited as JSON, then its actions of the last 7 days come oldest first with exactly the documented fields', async () => {
    const rows = await json('--droplet', '42');
    expect(rows.map((r) => [r.policy, r.status])).toEqual([
      ['nightly', 'completed'],
      ['weekend-off', 'timed-out'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual([...AUDIT_FIELDS]);
    expect(rows[0]).toEqual({
      policy: 'nightly',
      scheduledTime: nightly,
      dropletId: 42,
      dropletName: 'web-42',
      type: 'snapshot',
      status: 'completed',
      actionId: 901,
      startedAt: expect.stringMatching(/Z$/),
      completedAt: expect.stringMatching(/Z$/),
      error: null,
      reason: null,
      parentActionId: null,
      snapshotId: null,
      snapshotName: null,
      lineageId: null,
    });
    expect(rows[1]!.error).toBe('no answer within 5 minutes');
  });

  test('given a droplet and --since 14d, when audited, then the older tick is included too', async () => {
    const rows = await json('--droplet', '42', '--since', '14d');
    expect(rows.map((r) => r.actionId)).toEqual([900, 901, 903]);
  });

  test('given a droplet and --status failed, when audited, then only its failures remain', async () => {
    const rows = await json('--droplet', '42', '--status', 'failed');
    expect(rows.map((r) => [r.actionId, r.status])).toEqual([[903, 'timed-out']]);
  });

  test('given --deletions, when a droplet is audited, then retention deletions appear as snapshot-deletion rows naming the snapshot', async () => {
    const rows = await json('--droplet', '42', '--deletions');
    const deletion = rows.find((r) => r.type === 'snapshot-deletion');
    expect(deletion).toEqual({
      policy: 'nightly',
      scheduledTime: nightly,
      dropletId: 42,
      dropletName: 'web-42',
      type: 'snapshot-deletion',
      status: 'completed',
      actionId: null,
      startedAt: null,
      completedAt: expect.stringMatching(/Z$/),
      error: null,
      reason: null,
      parentActionId: null,
      snapshotId: 7001,
      snapshotName: 'nightly--42-20261101-0100',
      lineageId: null,
    });
    const table = await audit('--droplet', '42', '--deletions');
    expect(table.stdout).toMatch(
      /snapshot-deletion\s+completed\s+-\s+-\s+\S+Z\s+snapshot nightly--42-20261101-0100 \(id 7001\)/,
    );
  });

  test('given --status failed, when audited, then errored, timed-out and rejected rows of every policy are merged', async () => {
    const rows = await json('--status', 'failed');
    expect(rows.map((r) => [r.dropletId, r.status]).sort()).toEqual([
      [42, 'timed-out'],
      [43, 'errored'],
      [44, 'rejected'],
    ]);
    expect(rows.find((r) => r.status === 'rejected')).toMatchObject({
      actionId: null,
      error: 'Droplet already has a pending event.',
    });
  });

  test('given a policy and a status, when audited, then the policy partition is filtered by status', async () => {
    const rows = await json('--policy', 'weekend-off', '--status', 'skipped');
    expect(rows.map((r) => r.dropletId)).toEqual([45]);
  });

  test('given no filter, when audited, then recent activity of every status shows, without deletions or older ticks', async () => {
    const rows = await json();
    expect(rows.map((r) => r.actionId ?? r.dropletId).sort()).toEqual([44, 45, 901, 902, 903]);
  });

  test('given a policy, when audited as CSV, then RFC 4180 quoting and CRLF line endings are used', async () => {
    const result = await audit('--policy', 'nightly', '--format', 'csv');
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\r(?!\n)/);
    expect(text.startsWith(`${AUDIT_FIELDS.join(',')}\r\n`)).toBe(true);
    expect(text).toContain(',"web,43",snapshot,errored,902,');
    expect(text).toContain(',"disk ""full"", retry later\nthen call support",,,,,\r\n');
    const records = text.split('\r\n').filter(Boolean);
    expect(records).toHaveLength(3);
  });

  test('given a policy, when audited as a table, then columns are aligned with a header and a count', async () => {
    const result = await audit('--policy', 'weekend-off');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^SCHEDULED \(UTC\)\s+POLICY\s+DROPLET\s+NAME\s+TYPE\s+STATUS\s+ACTION\s+STARTED\s+COMPLETED\s+ERROR \/ REASON$/,
    );
    const statusColumn = lines[0]!.indexOf('STATUS');
    for (const line of lines.slice(1, 4))
      expect(line.slice(statusColumn)).toMatch(/^(timed-out|rejected|skipped)/);
    expect(result.stdout).toContain('(droplet already off)');
    expect(lines.at(-2)).toBe('3 rows: 1 timed-out, 1 rejected, 1 skipped');
    expect(lines.at(-1)).toMatch(/^NAME \(bulk\), \(by id\): no name on record/);
  });

  test('given more rows than --limit, when audited, then the first ones show and stderr says more match', async () => {
    const result = await audit('--policy', 'weekend-off', '--limit', '2', '--format', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
    expect(result.stderr).toContain('showing the first 2 rows; more match');
  });

  test('given nothing in range, when audited, then JSON is [] and CSV is the header alone', async () => {
    const until = ago(20 * DAY);
    expect(await json('--since', '30d', '--until', until)).toEqual([]);
    const csv = await audit('--since', '30d', '--until', until, '--format', 'csv');
    expect(csv.stdout).toBe(`${AUDIT_FIELDS.join(',')}\r\n`);
  });

  test.each([
    [
      ['--status', 'bogus'],
      "--status: expected one of pending, in-progress, completed, errored, timed-out, rejected, skipped, failed, got: 'bogus'",
    ],
    [
      ['--since', 'yesterday'],
      "--since: expected an ISO 8601 time (e.g. 2026-11-20T09:00Z) or a duration ago such as 30m, 24h or 7d, got: 'yesterday'",
    ],
    [['--until', '2026-02-30'], '--until: expected an ISO 8601 time'],
    [['--droplet', '4x2'], "--droplet: expected a droplet id (a positive integer), got: '4x2'"],
    [['--limit', '0'], "--limit: expected an integer from 1 to 10000, got: '0'"],
    [['--format', 'xml'], "--format: expected one of table, json, csv, got: 'xml'"],
    [['--since', '1d', '--until', '2d'], '--since: expected a time before --until'],
    [['--store', 'no-such-store'], '--store: expected a directory holding a ledger'],
    [['--colour'], "error: unknown option '--colour'"],
  ])('given bad flags %j, when audited, then one line and exit code 1', async (flags, message) => {
    const result = await audit(...flags);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  test('given --help, then it shows examples', async () => {
    const result = await audit('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ droplet-scheduler audit --droplet 42 --status failed');
  });
});

describe('audit formats', () => {
  test('renderTable pads before it paints, so coloured cells stay aligned', () => {
    const lines = renderTable(
      [
        { header: 'ID', align: 'right' },
        { header: 'STATUS', paint: (padded) => `<${padded}>` },
        { header: 'X' },
      ],
      [
        ['7', 'completed', 'a'],
        ['1234', 'errored', 'b'],
      ],
    );
    expect(lines).toEqual(['  ID  STATUS     X', '   7  <completed>  a', '1234  <errored  >  b']);
  });

  test('csvField quotes commas, quotes and line breaks only', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, null]])).toBe('a,b\r\n1,\r\n');
  });

  test.each([
    ['7d', '2026-11-20T12:00:00.000Z'],
    ['24h', '2026-11-26T12:00:00.000Z'],
    ['30m', '2026-11-27T11:30:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30:00+01:00', '2026-11-01T08:30:00.000Z'],
    ['2026-11-01T09:30:00.5Z', '2026-11-01T09:30:00.500Z'],
  ])('parseTimeFlag reads %s', (value, expected) => {
    expect(parseTimeFlag('--since', value, new Date('2026-11-27T12:00:00Z')).toISOString()).toBe(expected);
  });

  test.each(['yesterday', '7 days', '2026-13-01', '2026-02-30', '-7d'])(
    'parseTimeFlag refuses %s',
    (value) => {
      expect(() => parseTimeFlag('--since', value, new Date())).toThrow(/--since: expected an ISO 8601 time/);
    },
  );
});
