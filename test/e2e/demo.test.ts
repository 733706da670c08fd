import { PassThrough } from 'node:stream';
import { createOutput } from '../../cli/output';
import { runDemo } from '../../scripts/demo';

describe('npm run demo', () => {
  test('given the example policies, when the demo runs, then it exits 0 with one audit row per action, every one settled', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const output = createOutput({ stdout, stderr: new PassThrough(), env: { NO_COLOR: '1' } });

    const { code, actions } = await runDemo({ output, timeScale: 600 });

    const text = Buffer.concat(chunks).toString('utf8');
    const tableLines = text
      .split('\n')
      .filter((line) =>
        /^(policy|nightly-snapshots|weekend-off|monday-on|staging-nights-(un)?park)\s/.test(line),
      );
    expect(code).toBe(0);
    expect(tableLines[0]).toMatch(/^policy\s+scheduled \(UTC\)\s+droplet/);
    expect(tableLines).toHaveLength(actions.length + 1);
    expect(
      actions.filter(
        (action) =>
          action.policy === 'nightly-snapshots' &&
          action.type === 'snapshot' &&
          action.status === 'completed',
      ),
    ).toHaveLength(5);
    expect(
      actions.filter(
        (action) =>
          action.policy === 'weekend-off' && action.type === 'shutdown' && action.status === 'completed',
      ),
    ).toHaveLength(5);
    expect(
      actions.filter(
        (action) =>
          action.policy === 'monday-on' && action.type === 'power_on' && action.status === 'completed',
      ),
    ).toHaveLength(5);
    expect(actions.every((action) => action.status === 'completed')).toBe(true);
    // Two droplets parked and unparked, each under its stable identity (its lineage, the first id).
    const parked = actions.filter((action) => action.type === 'destroy');
    const created = actions.filter((action) => action.type === 'create');
    expect(parked.map((action) => action.dropletName).sort()).toEqual([
      'parking-demo-db',
      'parking-demo-web',
    ]);
    expect(created.map((action) => action.dropletName).sort()).toEqual([
      'parking-demo-db',
      'parking-demo-web',
    ]);
    for (const action of created) {
      expect(text).toMatch(
        new RegExp(
          `staging-nights-unpark\\s.*\\s${action.dropletId}\\s+${action.dropletId}\\s+${action.dropletName}\\s+create\\s+completed`,
        ),
      );
    }
    expect(text).toContain('restored reserved IP');
    // The saving is printed twice: what plan expects on the schedule, and what the one-minute park saved.
    expect(text).toMatch(
      /staging-nights: expected saving on its schedule \(plan\): at least \$\d+\.\d\d a month \(at least [\d.]+% of \$12\.00\), 2 droplets/,
    );
    expect(text).toMatch(
      /staging-nights: actual saving \(audit --savings, hourly billing\): -?\$\d+\.\d\d net over 2 lineage\(s\)/,
    );
    expect(text).toMatch(/skipped, 2026-12-24 is one of the policy's skipDates/);
  });
});
