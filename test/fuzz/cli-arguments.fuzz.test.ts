import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { runCaptured } from '../cli/captured-cli';

const COMMANDS = [
  'validate',
  'plan',
  'audit',
  'run',
  'reconcile',
  'local',
  'snooze',
  'simulator',
  'bogus',
  '',
];
const FLAGS = [
  '-f',
  '--file',
  '--format',
  '--json',
  '--count',
  '--from',
  '--since',
  '--until',
  '--droplet',
  '--status',
  '--policy',
  '--limit',
  '--at',
  '--dry-run',
  '--timeout',
  '--store',
  '--table',
  '--region',
  '--endpoint',
  '--api-url',
  '--time-scale',
  '--list',
  '--cancel',
  '--reason',
  '--help',
  '-V',
  '--bogus',
];
const VALUES = [
  'policies.yaml',
  'p',
  'p:abcd12',
  '22:00',
  'missing.yaml',
  'json',
  'csv',
  'table',
  '7d',
  '-1',
  '0',
  '1e9',
  'NaN',
  '2026-13-45T99:99:99Z',
  'failed',
  'errored',
  'x'.repeat(300),
  '',
  '--',
  '../..',
  'http://',
  'http://127.0.0.1:1',
  '💥',
  'null',
];

/** Stack frames look like "    at fn (file.ts:12:34)". */
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe('the CLI, given random arguments', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'cli-fuzz-'));
    await writeFile(
      path.join(directory, 'policies.yaml'),
      'defaults:\n  timezone: UTC\npolicies:\n  - name: p\n    schedule: cron(0 2 * * ? *)\n    targets: { dropletIds: [1] }\n    action: { type: reboot }\n',
    );
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('never prints a stack trace and always ends with a documented exit code', async () => {
    const argv = fc.tuple(
      fc.constantFrom(...COMMANDS),
      fc.array(
        fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES), fc.string({ maxLength: 12 })),
        { maxLength: 6 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(argv, async ([command, rest]) => {
        // `local` and `simulator` would serve until stopped: the abort makes them return at once.
        const controller = new AbortController();
        controller.abort();
        const run = await runCaptured(
          [command, ...rest].filter((arg, index) => index > 0 || arg !== ''),
          {
            // No token and an API nobody listens on: nothing can reach out or wait long.
            env: { PATH: process.env.PATH, DIGITALOCEAN_API_URL: 'http://127.0.0.1:1' },
            cwd: directory,
            signal: controller.signal,
          },
        );
        expect([0, 1, 2]).toContain(run.code);
        expect(run.stdout).not.toMatch(STACK_FRAME);
        expect(run.stderr).not.toMatch(STACK_FRAME);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
