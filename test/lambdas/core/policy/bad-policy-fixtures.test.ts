import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile, PolicyValidationError, type PolicyIssue } from '../../../../lambdas/core/policy';

const FIXTURES = join(__dirname, '../../../fixtures/bad-policies');

/** file → the issue it must produce: where (line, path), what was there and what was expected (fragments). */
const CASES: Record<string, { line: number; path: string; received: string; expected: string }> = {
  'bad-cron.yaml': {
    line: 6,
    path: 'policies[0].schedule',
    received: '"cron(0 2 * * ?)"',
    expected: 'six fields',
  },
  'unknown-action-type.yaml': {
    line: 8,
    path: 'policies[0].action.type',
    received: '"hibernate"',
    expected: 'an action type, one of',
  },
  'resize-without-size.yaml': {
    line: 9,
    path: 'policies[0].action.size',
    received: 'nothing',
    expected: 'a size slug such as s-2vcpu-2gb',
  },
  'backup-hour-3.yaml': {
    line: 10,
    path: 'policies[0].action.backup_policy.hour',
    received: '3',
    expected: 'one of 0, 4, 8, 12, 16, 20',
  },
  'fallback-on-reboot.yaml': {
    line: 8,
    path: 'policies[0].action.fallback',
    received: '"power_off"',
    expected: 'only shutdown',
  },
  'retention-on-power-on.yaml': {
    line: 9,
    path: 'policies[0].retention',
    received: '{"keepLast":3}',
    expected: 'only snapshot',
  },
  'tag-and-droplet-ids.yaml': {
    line: 8,
    path: 'policies[0].targets',
    received: '"tag":"staging"',
    expected: 'exactly one of tag or dropletIds, not both',
  },
  'empty-droplet-ids.yaml': {
    line: 7,
    path: 'policies[0].targets.dropletIds',
    received: '[]',
    expected: 'at least one droplet id',
  },
  'bad-timezone.yaml': {
    line: 5,
    path: 'policies[0].timezone',
    received: '"Europe/Berln"',
    expected: 'an IANA time zone',
  },
  'missing-timezone.yaml': {
    line: 3,
    path: 'policies[0].timezone',
    received: 'nothing',
    expected: 'defaults.timezone',
  },
  'duplicate-names.yaml': {
    line: 9,
    path: 'policies[1].name',
    received: '"nightly"',
    expected: 'a name no other policy uses',
  },
  'expanded-name-collision.yaml': {
    line: 8,
    path: 'policies[1].name',
    received: '"office-hours-on"',
    expected: 'a name no other policy uses',
  },
  'name-with-spaces.yaml': {
    line: 5,
    path: 'policies[0].name',
    received: '"nightly snapshots"',
    expected: 'no spaces',
  },
  'name-too-long.yaml': {
    line: 5,
    path: 'policies[0].name',
    received: '"a-very-long',
    expected: '1 to 64 characters',
  },
  'unknown-key-typo.yaml': {
    line: 7,
    path: 'policies[0].tagets',
    received: '"tagets"',
    expected: 'one of the keys',
  },
  'custom-tag.yaml': { line: 4, path: 'policies', received: '!include', expected: 'no YAML tags' },
  'yaml-syntax-error.yaml': { line: 7, path: '', received: 'Flow sequence', expected: 'valid YAML' },
  'duplicate-key.yaml': {
    line: 9,
    path: 'policies[0].schedule',
    received: '"schedule"',
    expected: 'each key once',
  },
  'end-before-start.yaml': {
    line: 8,
    path: 'policies[0].endDate',
    received: '"2026-12-01T00:00:00Z"',
    expected: 'after startDate',
  },
  'bad-skip-date.yaml': {
    line: 9,
    path: 'policies[0].skipDates[1]',
    received: '"2027-02-30"',
    expected: 'yyyy-mm-dd',
  },
  'snapshot-name-without-prefix.yaml': {
    line: 8,
    path: 'policies[0].action.name',
    received: '"backup-{utc:yyyyMMdd}"',
    expected: '{policy}--{dropletId}-',
  },
  'skip-state-on-snapshot.yaml': {
    line: 9,
    path: 'policies[0].skipWhenAlreadyInState',
    received: 'true',
    expected: 'does not change the power state',
  },
  'power-schedule-with-action.yaml': {
    line: 7,
    path: 'policies[0].action',
    received: '{"type":"reboot"}',
    expected: 'no action',
  },
  'steps-and-action.yaml': {
    line: 9,
    path: 'policies[0].steps',
    received: '[{"type":"snapshot"},{"type":"power_on"}]',
    expected: 'either action or steps, not both',
  },
  'one-step.yaml': {
    line: 9,
    path: 'policies[0].steps',
    received: '[{"type":"snapshot"}]',
    expected: 'at least 2 steps (a single one is written as action',
  },
  'eleven-steps.yaml': {
    line: 9,
    path: 'policies[0].steps',
    received: '[{"type":"reboot"}',
    expected: 'at most 10 steps',
  },
  'step-type-typo.yaml': {
    line: 10,
    path: 'policies[0].steps[1].type',
    received: '"snapshto"',
    expected: 'an action type, one of',
  },
  'step-fallback-on-snapshot.yaml': {
    line: 10,
    path: 'policies[0].steps[1].fallback',
    received: '"power_off"',
    expected: 'only shutdown takes one',
  },
  'retention-without-snapshot-step.yaml': {
    line: 11,
    path: 'policies[0].retention',
    received: '{"keepLast":3}',
    expected: 'this one runs shutdown, power_on',
  },
  'two-snapshot-steps.yaml': {
    line: 11,
    path: 'policies[0].steps[2].type',
    received: '"snapshot"',
    expected: 'at most one snapshot in a policy',
  },
  'on-failure-typo.yaml': {
    line: 12,
    path: 'policies[0].onFailure.type',
    received: 'nothing',
    expected: 'an action type, one of',
  },
  'park-schedule-with-steps.yaml': {
    line: 8,
    path: 'policies[0].steps',
    received: '[{"type":"shutdown"},{"type":"snapshot"}]',
    expected: 'no steps: a parkSchedule policy makes its own -park and -unpark policies',
  },
  'park-schedule-same-times.yaml': {
    line: 6,
    path: 'policies[0].parkSchedule.unpark',
    received: '"20:00"',
    expected: 'a different time from park',
  },
  'park-schedule-without-unpark.yaml': {
    line: 6,
    path: 'policies[0].parkSchedule.unpark',
    received: 'nothing',
    expected: 'comes back only through its unpark policy',
  },
  'keep-snapshots-too-many.yaml': {
    line: 8,
    path: 'policies[0].keepSnapshots',
    received: '31',
    expected: '0 to 30 snapshots',
  },
  'allow-ip-change-without-park.yaml': {
    line: 9,
    path: 'policies[0].allowIpChange',
    received: 'true',
    expected: 'only a parkSchedule policy takes it',
  },
  'park-name-too-long.yaml': {
    line: 5,
    path: 'policies[0].name',
    received: '"a-park-schedule-whose',
    expected: 'at most 57 characters, since parkSchedule adds "-unpark"',
  },
  'retention-without-rules.yaml': {
    line: 9,
    path: 'policies[0].retention',
    received: '{}',
    expected: 'at least one of keepLast or maxAgeDays',
  },
};

async function issuesOf(file: string): Promise<{ error: PolicyValidationError; issue: PolicyIssue }> {
  const path = join(FIXTURES, file);
  const error = await loadPolicyFile(path).then(
    () => {
      throw new Error(`expected ${file} to be rejected`);
    },
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof PolicyValidationError)) throw error;
  const expectation = CASES[file]!;
  const issue = error.issues.find((candidate) => candidate.path === expectation.path);
  if (!issue) throw new Error(`no issue at ${expectation.path} in ${file}: ${error.message}`);
  return { error, issue };
}

describe('the malformed policy fixtures', () => {
  it('has a case in this table for every file in the folder, and at least twelve', () => {
    const files = readdirSync(FIXTURES).filter((file) => file.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(Object.entries(CASES))(
    'given %s, names file, line, path, value and expectation',
    async (file, expected) => {
      const { error, issue } = await issuesOf(file);

      expect(issue).toMatchObject({ file: join(FIXTURES, file), line: expected.line, path: expected.path });
      expect(issue.received).toContain(expected.received);
      expect(issue.expected).toContain(expected.expected);
      const policy = issue.policy === undefined ? '' : ` (policy ${issue.policy})`;
      const printed = `${join(FIXTURES, file)}:${expected.line}:${issue.column} ${expected.path || '(document)'}${policy}: expected `;
      expect(error.message).toContain(printed);
      expect(error.message).toContain(`got: ${issue.received}`);
      expect(error.code).toBe('policy_invalid');
    },
  );

  it('given a typo of a known key, suggests the key', async () => {
    const { issue } = await issuesOf('unknown-key-typo.yaml');

    expect(issue.message).toContain('did you mean targets?');
  });

  it('given a misspelt type in a step, suggests the type', async () => {
    const { issue } = await issuesOf('step-type-typo.yaml');

    expect(issue.message).toContain('did you mean snapshot?');
  });

  it('given onFailure with "typ" for "type", says so', async () => {
    const { issue } = await issuesOf('on-failure-typo.yaml');

    expect(issue.message).toContain('did you mean type instead of typ?');
  });
});
