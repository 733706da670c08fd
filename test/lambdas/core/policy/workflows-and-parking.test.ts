import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTION_CATALOG } from '../../../../lambdas/core/actions/action-catalog';
import {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  loadPolicies,
  parsePolicy,
  PolicyValidationError,
  type Policy,
  type PolicyIssue,
} from '../../../../lambdas/core/policy';

const FIXTURE = join(__dirname, '../../../fixtures/good-policies/workflows-and-parking.yaml');

function load(text: string): readonly Policy[] {
  return loadPolicies(text, 'policies.yaml').policies;
}

function issuesOf(text: string): readonly PolicyIssue[] {
  try {
    loadPolicies(text, 'policies.yaml');
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the policies to be rejected');
}

/** One policy entry under a UTC default, indented as a list item. */
function file(...lines: string[]): string {
  return ['defaults: { timezone: UTC }', 'policies:', ...lines.map((line) => `  ${line}`)].join('\n');
}

const OFFLINE_SNAPSHOT = file(
  '- name: offline-snapshot',
  '  schedule: cron(0 3 ? * SUN *)',
  '  targets: { tag: production }',
  '  steps:',
  '    - { type: shutdown, fallback: power_off, timeoutMinutes: 5 }',
  '    - { type: snapshot }',
  '    - { type: power_on }',
  '  onFailure: { type: power_on }',
  '  retention: { keepLast: 4 }',
);

const PARKING = file(
  '- name: dev-nights',
  "  parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }",
  '  targets: { tag: dev }',
);

describe('steps in a policy file', () => {
  test('given the offline snapshot, when loaded, then the first step is the action and the rest are steps', () => {
    const [policy] = load(OFFLINE_SNAPSHOT);

    expect(policy).toEqual({
      name: 'offline-snapshot',
      enabled: true,
      schedule: 'cron(0 3 ? * SUN *)',
      timezone: 'UTC',
      targets: { tag: 'production' },
      action: { type: 'shutdown' },
      timeoutMinutes: 5,
      fallback: 'power_off',
      retention: { keepLast: 4 },
      skipWhenAlreadyInState: true,
      skipDates: [],
      steps: [
        {
          action: { type: 'snapshot' },
          timeoutMinutes: ACTION_CATALOG.snapshot.defaultTimeoutMinutes,
          snapshotNameTemplate: DEFAULT_SNAPSHOT_NAME_TEMPLATE,
        },
        { action: { type: 'power_on' }, timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes },
      ],
      onFailure: {
        action: { type: 'power_on' },
        timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes,
      },
    });
  });

  test('given a snapshot first step with a name template, when loaded, then the template sits on the policy as for action', () => {
    const [policy] = load(
      file(
        '- name: snap-then-reboot',
        '  schedule: rate(1 day)',
        '  targets: { dropletIds: [7] }',
        '  steps:',
        "    - { type: snapshot, name: '{policy}--{dropletId}-{utc:yyyyMMdd}' }",
        '    - { type: reboot, timeoutMinutes: 3 }',
      ),
    );

    expect(policy).toMatchObject({
      action: { type: 'snapshot' },
      snapshotNameTemplate: '{policy}--{dropletId}-{utc:yyyyMMdd}',
      steps: [{ action: { type: 'reboot' }, timeoutMinutes: 3 }],
    });
    expect(policy!.onFailure).toBeUndefined();
  });

  test('given action with onFailure, when loaded, then it is a one-step workflow with a failure step', () => {
    const [policy] = load(
      file(
        '- name: resize-up',
        '  schedule: rate(7 days)',
        '  targets: { dropletIds: [7] }',
        '  action: { type: resize, size: s-2vcpu-4gb }',
        '  onFailure: { type: power_on }',
      ),
    );

    expect(policy).toMatchObject({
      action: { type: 'resize', size: 's-2vcpu-4gb' },
      onFailure: { action: { type: 'power_on' } },
    });
    expect(policy!.steps).toBeUndefined();
  });

  test('given every fixture with workflows and parking, when loaded, then parsePolicy accepts each unchanged after a JSON round trip', () => {
    const policies = loadPolicies(readFileSync(FIXTURE, 'utf8'), FIXTURE).policies;

    expect(policies.map((policy) => policy.name)).toEqual([
      'offline-snapshot',
      'resize-up',
      'dev-nights-park',
      'dev-nights-unpark',
      'lab-park',
      'lab-unpark',
    ]);
    for (const policy of policies) expect(parsePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
  });

  test.each([
    [
      'steps that is a mapping',
      ['  steps: { type: reboot }'],
      'policies[0].steps',
      '{"type":"reboot"}',
      'a list of 2 to 10 actions',
    ],
    [
      'a step that is not a mapping',
      ['  steps: [reboot, { type: power_on }]'],
      'policies[0].steps[0]',
      '"reboot"',
      'an action such as { type: snapshot }',
    ],
    [
      'a step with an unknown key',
      ['  steps: [{ type: shutdown, timeoutMinuts: 5 }, { type: power_on }]'],
      'policies[0].steps[0].timeoutMinuts',
      '"timeoutMinuts"',
      'one of the keys',
    ],
    [
      'a step with a parameter of another type',
      ['  steps: [{ type: power_off }, { type: resize }]'],
      'policies[0].steps[1].size',
      'nothing',
      'a size slug such as s-2vcpu-2gb',
    ],
    [
      'a zero timeout in a step',
      ['  steps: [{ type: power_off, timeoutMinutes: 0 }, { type: power_on }]'],
      'policies[0].steps[0].timeoutMinutes',
      '0',
      '1 to 10080 minutes',
    ],
    [
      'a snapshot step and a snapshot onFailure',
      ['  steps: [{ type: power_off }, { type: snapshot }]', '  onFailure: { type: snapshot }'],
      'policies[0].onFailure.type',
      '"snapshot"',
      'at most one snapshot in a policy',
    ],
    [
      'onFailure that is a list',
      ['  action: { type: reboot }', '  onFailure: [{ type: power_on }]'],
      'policies[0].onFailure',
      '[{"type":"power_on"}]',
      'an action such as',
    ],
    [
      'skipWhenAlreadyInState when the first step is a snapshot',
      ['  steps: [{ type: snapshot }, { type: power_on }]', '  skipWhenAlreadyInState: true'],
      'policies[0].skipWhenAlreadyInState',
      'true',
      'snapshot does not change the power state',
    ],
  ])(
    'given %s, when loaded, then one issue names the path, the value and the expectation',
    (_case, lines, path, received, expected) => {
      const issues = issuesOf(
        file('- name: p', '  schedule: rate(1 day)', '  targets: { tag: x }', ...lines),
      );

      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path, received });
      expect(issues[0]!.expected).toContain(expected);
      expect(issues[0]!.line).toBeGreaterThan(2);
    },
  );

  test.each([
    ['steps', 'steps: [{ type: shutdown }, { type: power_on }]'],
    ['onFailure', 'onFailure: { type: power_on }'],
  ])('given a powerSchedule with %s, when loaded, then that key is refused', (key, line) => {
    const issues = issuesOf(
      file(
        '- name: office',
        "  powerSchedule: { on: '07:00', days: MON }",
        '  targets: { tag: x }',
        `  ${line}`,
      ),
    );

    expect(issues).toEqual([
      expect.objectContaining({
        path: `policies[0].${key}`,
        expected: `no ${key}: a powerSchedule policy makes its own -on and -off policies`,
      }),
    ]);
  });

  test('given neither action nor steps, when loaded, then the missing action says steps would do too', () => {
    const [issue] = issuesOf(file('- name: p', '  schedule: rate(1 day)', '  targets: { tag: x }'));

    expect(issue).toMatchObject({ path: 'policies[0].action', received: 'nothing' });
    expect(issue!.expected).toContain('or steps: a list of actions');
  });
});

describe('parkSchedule in a policy file', () => {
  test('given a parkSchedule, when loaded, then it expands into -park and -unpark parking policies with safe defaults', () => {
    const policies = load(PARKING);

    const shared = {
      enabled: true,
      timezone: 'UTC',
      targets: { tag: 'dev' },
      skipWhenAlreadyInState: false,
      skipDates: [],
      expandedFrom: 'dev-nights',
    };
    const options = {
      parkPolicy: 'dev-nights-park',
      allowIpChange: false,
      allowBackupLoss: false,
      keepSnapshots: 0,
    };
    expect(policies).toEqual([
      {
        ...shared,
        name: 'dev-nights-park',
        schedule: 'cron(0 20 ? * MON-FRI *)',
        action: { type: 'shutdown' },
        timeoutMinutes: ACTION_CATALOG.shutdown.defaultTimeoutMinutes,
        parking: { role: 'park', ...options },
      },
      {
        ...shared,
        name: 'dev-nights-unpark',
        schedule: 'cron(0 7 ? * MON-FRI *)',
        action: { type: 'power_on' },
        timeoutMinutes: ACTION_CATALOG.power_on.defaultTimeoutMinutes,
        parking: { role: 'unpark', ...options },
      },
    ]);
  });

  test('given the parking options and the shared fields, when loaded, then both policies carry them', () => {
    const policies = load(
      file(
        '- name: dev-nights',
        '  description: parked at night',
        '  timezone: Europe/Berlin',
        '  enabled: false',
        "  parkSchedule: { park: '20:30', unpark: '6:45', days: [MON, WED-FRI] }",
        '  targets: { dropletIds: [7, 8] }',
        '  skipDates: [2026-12-24]',
        '  flexibleWindowMinutes: 5',
        '  startDate: 2027-01-01T00:00:00+01:00',
        '  allowIpChange: true',
        '  allowBackupLoss: true',
        '  keepSnapshots: 3',
      ),
    );

    expect(policies.map((policy) => policy.schedule)).toEqual([
      'cron(30 20 ? * MON,WED-FRI *)',
      'cron(45 6 ? * MON,WED-FRI *)',
    ]);
    for (const policy of policies) {
      expect(policy).toMatchObject({
        description: 'parked at night',
        timezone: 'Europe/Berlin',
        enabled: false,
        targets: { dropletIds: [7, 8] },
        skipDates: ['2026-12-24'],
        flexibleWindowMinutes: 5,
        startDate: '2026-12-31T23:00:00.000Z',
        parking: {
          parkPolicy: 'dev-nights-park',
          allowIpChange: true,
          allowBackupLoss: true,
          keepSnapshots: 3,
        },
      });
    }
  });

  test.each([
    ['schedule', 'schedule: rate(1 day)'],
    ['action', 'action: { type: shutdown }'],
    ['steps', 'steps: [{ type: shutdown }, { type: snapshot }]'],
    ['onFailure', 'onFailure: { type: power_on }'],
    ['retention', 'retention: { keepLast: 2 }'],
    ['powerSchedule', "powerSchedule: { on: '07:00', days: MON }"],
    ['skipWhenAlreadyInState', 'skipWhenAlreadyInState: true'],
  ])('given a parkSchedule with %s, when loaded, then that key is refused', (key, line) => {
    const issues = issuesOf(`${PARKING}\n    ${line}`);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: `policies[0].${key}`, line: 6 });
    expect(issues[0]!.expected).toBe(
      `no ${key}: a parkSchedule policy makes its own -park and -unpark policies, with parking's own steps`,
    );
  });

  test.each([
    ['allowIpChange', 'allowIpChange: true', 'true'],
    ['allowBackupLoss', 'allowBackupLoss: false', 'false'],
    ['keepSnapshots', 'keepSnapshots: 1', '1'],
  ])(
    'given %s on a powerSchedule policy, when loaded, then it is refused as parking-only',
    (key, line, received) => {
      const issues = issuesOf(
        file(
          '- name: office',
          "  powerSchedule: { on: '07:00', days: MON }",
          '  targets: { tag: x }',
          `  ${line}`,
        ),
      );

      expect(issues).toEqual([
        expect.objectContaining({
          path: `policies[0].${key}`,
          received,
          expected: `no ${key}: only a parkSchedule policy takes it (it says what parking may lose or keep)`,
        }),
      ]);
    },
  );

  test.each([
    [
      'a park time that is not a time',
      "{ park: '25:00', unpark: '07:00', days: MON }",
      'policies[0].parkSchedule.park',
      '"25:00"',
      'a time of day HH:MM',
    ],
    [
      'no park time',
      "{ unpark: '07:00', days: MON }",
      'policies[0].parkSchedule.park',
      'nothing',
      'a time to park',
    ],
    [
      'a bad day',
      "{ park: '20:00', unpark: '07:00', days: MON-FRY }",
      'policies[0].parkSchedule.days',
      '"MON-FRY"',
      '"FRY" is not one of SUN..SAT',
    ],
    [
      'an unknown key',
      "{ park: '20:00', unpark: '07:00', days: MON, on: '08:00' }",
      'policies[0].parkSchedule.on',
      '"on"',
      'one of the keys park, unpark, days',
    ],
    ['a list', '[20:00, 07:00]', 'policies[0].parkSchedule', '["20:00","07:00"]', 'a park schedule such as'],
  ])(
    'given %s, when loaded, then the parkSchedule field is named',
    (_case, value, path, received, expected) => {
      const issues = issuesOf(file('- name: dev', `  parkSchedule: ${value}`, '  targets: { tag: x }'));

      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path, received });
      expect(issues[0]!.expected).toContain(expected);
    },
  );

  test.each([
    ['allowBackupLoss', '"no"', 'true or false'],
    ['keepSnapshots', '-1', '0 to 30 snapshots'],
    ['keepSnapshots', '1.5', 'a whole number of snapshots'],
  ])('given %s: %s, when loaded, then it says what is expected', (key, value, expected) => {
    const issues = issuesOf(`${PARKING}\n    ${key}: ${value}`);

    expect(issues).toEqual([expect.objectContaining({ path: `policies[0].${key}`, expected })]);
  });

  test('given a parkSchedule whose -park policy takes an existing name, when loaded, then the collision names the parkSchedule', () => {
    const issues = issuesOf(
      file(
        '- { name: dev-nights-park, schedule: rate(1 day), targets: { tag: x }, action: { type: reboot } }',
        '- name: dev-nights',
        "  parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }",
        '  targets: { tag: dev }',
      ),
    );

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: 'policies[1].name',
      received: '"dev-nights"',
      expected: 'a name no other policy uses (its parkSchedule makes dev-nights-park)',
    });
    expect(issues[0]!.message).toContain('policies[0] already makes a policy named dev-nights-park');
  });
});
