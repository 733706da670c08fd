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
      .filter((line) => /^(policy|nightly-snapshots|weekend-off|monday-on)\s/.test(line));
    expect(code).toBe(0);
    expect(tableLines[0]).toMatch(/^policy\s+scheduled \(UTC\)\s+droplet/);
    expect(tableLines).toHaveLength(actions.length + 1);
    expect(
      actions.filter((action) => action.type === 'snapshot' && action.status === 'completed'),
    ).toHaveLength(5);
    expect(
      actions.filter((action) => action.type === 'shutdown' && action.status === 'completed'),
    ).toHaveLength(5);
    expect(
      actions.filter((action) => action.type === 'power_on' && action.status === 'completed'),
    ).toHaveLength(5);
    expect(actions.every((action) => action.status === 'completed')).toBe(true);
    expect(text).toMatch(/skipped, 2026-12-24 is one of the policy's skipDates/);
  });
});
