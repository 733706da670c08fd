import { formatPolicyIssue } from '../../lambdas/core/policy/policy-issue';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicyFile, PolicyValidationError, type PolicyIssue } from '../../lambdas/core/policy';
import { runCaptured } from './captured-cli';

const BAD = path.join(__dirname, '../fixtures/bad-policies');
const GOOD = path.join(__dirname, '../fixtures/good-policies');

async function issuesOf(file: string): Promise<readonly PolicyIssue[]> {
  try {
    await loadPolicyFile(file);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
  throw new Error(`${file} loaded without issues`);
}

describe('validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'validate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('given every malformed fixture, when validated, then it exits 1 with line, path, value and expectation and no stack trace', async () => {
    const files = (await readdir(BAD)).filter((name) => name.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const name of files) {
      const file = path.join(BAD, name);
      const result = await runCaptured(['validate', '-f', file]);
      expect({ name, code: result.code }).toEqual({ name, code: 1 });
      expect(result.stdout).toBe('');
      for (const issue of await issuesOf(file)) {
        expect(result.stderr).toContain(`${file}:${issue.line}:${issue.column} `);
        expect(result.stderr).toContain(formatPolicyIssue(issue));
        expect(issue.message).toContain(issue.received);
        expect(issue.message).toContain(issue.expected);
      }
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).toMatch(/\d+ problems? in /);
    }
  });

  test('given a malformed file, when validated with --format json, then stdout is the array of problems and the exit code 1', async () => {
    const file = path.join(BAD, 'bad-cron.yaml');
    const result = await runCaptured(['validate', '-f', file, '--format', 'json']);
    expect(result.code).toBe(1);
    const problems = JSON.parse(result.stdout) as unknown[];
    expect(problems).toEqual([
      {
        file,
        line: 6,
        column: expect.any(Number),
        path: 'policies[0].schedule',
        message: expect.stringContaining('got: "cron(0 2 * * ?)"'),
      },
    ]);
    expect(Object.keys(problems[0] as object)).toEqual(['file', 'line', 'column', 'path', 'message']);
  });

  test('given a file with several mistakes, when validated, then every one is reported at once', async () => {
    const file = path.join(dir, 'two-mistakes.yaml');
    await writeFile(
      file,
      [
        'defaults: { timezone: UTC }',
        'policies:',
        '  - name: a',
        '    schedule: cron(0 2 * * ?)',
        '    targets: { tag: x }',
        '    action: { type: hibernate }',
      ].join('\n'),
    );
    const result = await runCaptured(['validate', '-f', file, '--format', 'json']);
    expect(result.code).toBe(1);
    const paths = (JSON.parse(result.stdout) as { path: string }[]).map((problem) => problem.path);
    expect(paths).toEqual(['policies[0].schedule', 'policies[0].action.type']);
  });

  test('given a valid file, when validated, then it exits 0 with a summary of policies, disabled ones and expansions', async () => {
    const result = await runCaptured(['validate', '-f', path.join(GOOD, 'power-schedules.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/power-schedules\.yaml: 5 policies, valid/);
    expect(result.stdout).toContain('powerSchedule office-hours -> office-hours-on, office-hours-off');
    expect(result.stdout).toContain('powerSchedule weekend-only-off -> weekend-only-off-off');
  });

  test('given workflows and parkSchedules, when validated, then it shows the steps of each policy and what each parkSchedule may lose', async () => {
    const result = await runCaptured(['validate', '-f', path.join(GOOD, 'workflows-and-parking.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/workflows-and-parking\.yaml: 6 policies, valid$/),
        '  parkSchedule dev-nights -> dev-nights-park, dev-nights-unpark; may lose: the public IPv4 of droplets without a reserved IP (allowIpChange), the backups of droplets that have them (allowBackupLoss)',
        '  parkSchedule lab -> lab-park, lab-unpark; may lose: nothing; droplets without a reserved IP or with backups enabled are skipped, not parked',
        '  steps of offline-snapshot: shutdown (fallback power_off) → snapshot → power_on; on failure: power_on',
        '  steps of resize-up: resize; on failure: power_on',
      ]),
    );
  });

  test('given a step with a misspelt type, when validated with --format json, then the problem names the step, the value and the hint', async () => {
    const file = path.join(BAD, 'step-type-typo.yaml');
    const result = await runCaptured(['validate', '-f', file, '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        file,
        line: 10,
        column: 17,
        path: 'policies[0].steps[1].type',
        message: expect.stringMatching(
          /^expected an action type, one of .*, got: "snapshto" \(did you mean snapshot\?\)$/,
        ),
      },
    ]);
  });

  test('given a valid file, when validated with --format json, then stdout is an empty array', async () => {
    const result = await runCaptured(['validate', '-f', path.join(GOOD, 'minimal.yaml'), '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  test('given the default file name, when run in a directory, then ./policies.yaml there is read and disabled policies are listed', async () => {
    await writeFile(
      path.join(dir, 'policies.yaml'),
      [
        'defaults: { timezone: UTC }',
        'policies:',
        '  - { name: paused, enabled: false, schedule: cron(0 2 * * ? *), targets: { tag: x }, action: { type: reboot } }',
      ].join('\n'),
    );
    const result = await runCaptured(['validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('disabled: paused');
  });

  test('given ticks that cannot start every action before the next one, when validated, then it warns with the shortfall and still exits 0', async () => {
    const ids = Array.from({ length: 1000 }, (_, index) => index + 1).join(', ');
    const file = path.join(dir, 'too-fast.yaml');
    await writeFile(
      file,
      [
        'defaults: { timezone: UTC }',
        'policies:',
        `  - { name: wake-all, schedule: rate(5 minutes), targets: { dropletIds: [${ids}] }, action: { type: power_on } }`,
        '  - { name: snap-tag, schedule: rate(10 minutes), targets: { tag: fleet }, action: { type: snapshot } }',
        '  - { name: off-tag, schedule: rate(1 minute), targets: { tag: fleet }, action: { type: power_off } }',
      ].join('\n'),
    );
    const result = await runCaptured(['validate', '-f', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: wake-all: a tick needs 2,002 requests for 1,000 droplets, about 8 min .* the next tick comes 5 min later: 3 min over/,
    );
    expect(result.stderr).toMatch(
      /note: snap-tag: tag 'fleet' is not resolved offline, so its droplet count is unknown; .* at most 2,487 droplets/,
    );
    expect(result.stderr).not.toContain('off-tag');
  });

  test('given a missing file, when validated, then one line names it and the exit code is 1', async () => {
    const result = await runCaptured(['validate', '-f', path.join(dir, 'nope.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope.yaml');
    expect(result.stderr).toContain('expected a readable file, got: ENOENT');
  });

  test('given an unknown flag or format, when validate runs, then one clear line and exit code 1', async () => {
    const unknown = await runCaptured(['validate', '--frmat', 'json']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')[0]).toMatch(/unknown option '--frmat'/);
    const format = await runCaptured(['validate', '--format', 'yaml']);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/'yaml' is invalid\. Allowed choices are text, json/);
  });

  test('given a malformed file, when the installed bin runs as a process, then it exits 1 with the loader line and no stack', async () => {
    const file = path.join(BAD, 'unknown-action-type.yaml');
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      execFile(
        process.execPath,
        [path.join(__dirname, '../../bin/droplet-scheduler.cjs'), 'validate', '-f', file],
        { timeout: 20_000, env: { PATH: process.env.PATH } },
        (error, out, err) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ code: error ? (error.code as number) : 0, stdout: out, stderr: err });
        },
      );
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${file}:8:`);
    expect(stderr).toContain('policies[0].action.type');
    expect(stderr).toContain('"hibernate"');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('given --help, then it shows examples', async () => {
    const result = await runCaptured(['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ droplet-scheduler validate -f examples/policies.yaml');
  });
});
