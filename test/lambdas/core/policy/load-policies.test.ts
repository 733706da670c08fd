import { ACTION_CATALOG } from '../../../../lambdas/core/actions/action-catalog';
import { DropletSchedulerError } from '../../../../lambdas/core/errors';
import {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  loadPolicies,
  PolicyValidationError,
  type PolicyIssue,
} from '../../../../lambdas/core/policy';

function issuesOf(text: string, file = 'policies.yaml'): readonly PolicyIssue[] {
  try {
    loadPolicies(text, file);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected the policies to be rejected');
}

const SNAPSHOT = `
defaults:
  timezone: Europe/Berlin
policies:
  - name: nightly
    schedule: cron(0 2 * * ? *)
    targets: { tag: production }
    action: { type: snapshot }
    retention: { keepLast: 7 }
`;

describe('loadPolicies', () => {
  describe('given valid policies', () => {
    it('applies the defaults: timezone, enabled, no skip dates, the type timeout, the snapshot name template', () => {
      const { policies } = loadPolicies(SNAPSHOT, 'policies.yaml');

      expect(policies).toEqual([
        {
          name: 'nightly',
          enabled: true,
          schedule: 'cron(0 2 * * ? *)',
          timezone: 'Europe/Berlin',
          targets: { tag: 'production' },
          action: { type: 'snapshot' },
          timeoutMinutes: ACTION_CATALOG.snapshot.defaultTimeoutMinutes,
          retention: { keepLast: 7 },
          skipWhenAlreadyInState: false,
          skipDates: [],
          snapshotNameTemplate: DEFAULT_SNAPSHOT_NAME_TEMPLATE,
        },
      ]);
    });

    it('keeps timeoutMinutes and fallback out of the DigitalOcean action body', () => {
      const { policies } = loadPolicies(
        `policies:
  - name: weekend-off
    schedule: cron(0 20 ? * FRI *)
    timezone: UTC
    targets: { tag: staging }
    action: { type: shutdown, fallback: power_off, timeoutMinutes: 7 }
`,
        'p.yaml',
      );

      expect(policies[0]).toMatchObject({
        action: { type: 'shutdown' },
        timeoutMinutes: 7,
        fallback: 'power_off',
        skipWhenAlreadyInState: true,
      });
      expect(Object.keys(policies[0]!.action)).toEqual(['type']);
    });

    it('lets the policy override defaults, sorts and de-duplicates skip dates, and stores instants in UTC', () => {
      const { policies } = loadPolicies(
        `defaults:
  timezone: Europe/Berlin
  enabled: false
  flexibleWindowMinutes: 10
  skipDates: [2026-12-25]
policies:
  - name: a
    schedule: rate(1 day)
    timezone: Asia/Tokyo
    enabled: true
    flexibleWindowMinutes: 5
    startDate: 2026-01-01T09:00:00+09:00
    skipDates: [2027-01-01, 2026-12-31, 2027-01-01]
    targets: { dropletIds: [2, 1] }
    action: { type: power_on }
    skipWhenAlreadyInState: false
  - name: b
    schedule: rate(1 day)
    targets: { tag: staging }
    action: { type: reboot }
`,
        'p.yaml',
      );

      expect(policies[0]).toMatchObject({
        timezone: 'Asia/Tokyo',
        enabled: true,
        flexibleWindowMinutes: 5,
        startDate: '2026-01-01T00:00:00.000Z',
        skipDates: ['2026-12-31', '2027-01-01'],
        targets: { dropletIds: [2, 1] },
        skipWhenAlreadyInState: false,
      });
      expect(policies[1]).toMatchObject({
        timezone: 'Europe/Berlin',
        enabled: false,
        flexibleWindowMinutes: 10,
        skipDates: ['2026-12-25'],
        timeoutMinutes: ACTION_CATALOG.reboot.defaultTimeoutMinutes,
        skipWhenAlreadyInState: false,
      });
    });

    it('expands a powerSchedule into -on and -off policies in the policy time zone', () => {
      const { policies } = loadPolicies(
        `defaults: { timezone: Europe/Berlin }
policies:
  - name: office-hours
    powerSchedule: { on: "07:00", off: "20:30", days: MON-FRI }
    targets: { tag: staging }
    skipDates: [2026-12-24]
`,
        'p.yaml',
      );

      expect(
        policies.map(({ name, schedule, action, fallback, expandedFrom }) => ({
          name,
          schedule,
          action,
          fallback,
          expandedFrom,
        })),
      ).toEqual([
        {
          name: 'office-hours-on',
          schedule: 'cron(0 7 ? * MON-FRI *)',
          action: { type: 'power_on' },
          fallback: undefined,
          expandedFrom: 'office-hours',
        },
        {
          name: 'office-hours-off',
          schedule: 'cron(30 20 ? * MON-FRI *)',
          action: { type: 'shutdown' },
          fallback: 'power_off',
          expandedFrom: 'office-hours',
        },
      ]);
      expect(
        policies.every(
          (policy) => policy.timezone === 'Europe/Berlin' && policy.skipDates[0] === '2026-12-24',
        ),
      ).toBe(true);
      expect(policies.every((policy) => policy.skipWhenAlreadyInState)).toBe(true);
    });

    it('returns the file name it was given', () => {
      expect(loadPolicies(SNAPSHOT, 'deploy/policies.yaml').file).toBe('deploy/policies.yaml');
    });
  });

  describe('given invalid policies', () => {
    it('reports every problem at once, across policies, in file order', () => {
      const issues = issuesOf(`policies:
  - name: a b
    schedule: cron(0 2 * *)
    timezone: Mars/Olympus
    targets: { tag: production }
    action: { type: resize }
  - name: c
    schedule: rate(1 hour)
    timezone: UTC
    targets: { dropletIds: [1, 1] }
    action: { type: power_on, timeoutMinutes: 0 }
    retention: { keepLast: 2 }
`);

      expect(issues.map((issue) => [issue.line, issue.path])).toEqual([
        [2, 'policies[0].name'],
        [3, 'policies[0].schedule'],
        [4, 'policies[0].timezone'],
        [6, 'policies[0].action.size'],
        [10, 'policies[1].targets.dropletIds[1]'],
        [11, 'policies[1].action.timeoutMinutes'],
        [12, 'policies[1].retention'],
      ]);
    });

    it('points a missing field at its parent mapping and says it got nothing', () => {
      const [issue] = issuesOf(`defaults: { timezone: UTC }
policies:
  - name: a
    schedule: rate(1 hour)
    action: { type: reboot }
`);

      expect(issue).toMatchObject({ line: 3, column: 5, path: 'policies[0].targets', received: 'nothing' });
      expect(issue!.message).toMatch(/^expected targets: .*, got: nothing$/);
    });

    it('prints one line per issue as file:line:column path (policy name): expected …, got: …', () => {
      const error = (() => {
        try {
          loadPolicies(
            'defaults: { timezone: UTC }\npolicies:\n  - name: a\n    schedule: rate(1 hour)\n    targets: { tag: x }\n    action: { type: resize, size: 42 }\n',
            'p.yaml',
          );
        } catch (thrown) {
          return thrown as PolicyValidationError;
        }
        throw new Error('expected a rejection');
      })();

      expect(error.message).toBe(
        'p.yaml:6:35 policies[0].action.size (policy "a"): expected a size slug such as s-2vcpu-2gb, got: 42',
      );
      expect(error).toBeInstanceOf(DropletSchedulerError);
    });

    it.each([
      ['schedul', 'schedule'],
      ['targts', 'targets'],
      ['acton', 'action'],
      ['timeZone', 'timezone'],
      ['skipdates', 'skipDates'],
    ])('given the unknown key %s, suggests %s', (typo, key) => {
      const issues = issuesOf(`defaults: { timezone: UTC }
policies:
  - name: a
    schedule: rate(1 hour)
    targets: { tag: x }
    action: { type: reboot }
    ${typo}: 1
`);

      expect(issues).toContainEqual(expect.objectContaining({ path: `policies[0].${typo}`, line: 7 }));
      expect(issues.find((issue) => issue.path === `policies[0].${typo}`)!.message).toContain(
        `did you mean ${key}?`,
      );
    });

    it('given an unknown action parameter, lists the parameters of that type', () => {
      const issues = issuesOf(`defaults: { timezone: UTC }
policies:
  - name: a
    schedule: rate(1 hour)
    targets: { tag: x }
    action: { type: rename, nmae: web-2 }
`);

      const issue = issues.find((candidate) => candidate.path === 'policies[0].action.nmae');
      expect(issue?.expected).toBe('one of the keys name, type, timeoutMinutes');
      expect(issue?.message).toContain('did you mean name?');
    });

    it('given a misspelt action type, suggests the closest type', () => {
      const [issue] = issuesOf(`defaults: { timezone: UTC }
policies:
  - { name: a, schedule: rate(1 hour), targets: { tag: x }, action: { type: poweroff } }
`);

      expect(issue?.message).toContain('did you mean power_off?');
    });

    it.each([
      ['an empty file', '', 'nothing'],
      ['a list at the top', '- 1\n', '[1]'],
      ['no policies', 'defaults: { timezone: UTC }\n', 'nothing'],
      ['an empty policy list', 'policies: []\n', '[]'],
    ])('given %s, expects a document with policies', (_case, text, received) => {
      const [issue] = issuesOf(text);

      expect(issue?.received).toBe(received);
      expect(issue?.line).toBe(1);
    });

    it('refuses a powerSchedule name that would not fit 64 characters once -off is added', () => {
      const name = 'n'.repeat(61);
      const [issue] = issuesOf(`defaults: { timezone: UTC }
policies:
  - name: ${name}
    powerSchedule: { off: "20:00", days: MON }
    targets: { tag: x }
`);

      expect(issue).toMatchObject({
        path: 'policies[0].name',
        expected: 'at most 60 characters, since powerSchedule adds "-off"',
      });
    });

    it('refuses names with "--" or a trailing "-", which would make snapshot prefixes ambiguous', () => {
      const issues = issuesOf(`defaults: { timezone: UTC }
policies:
  - { name: web--2, schedule: rate(1 hour), targets: { tag: x }, action: { type: reboot } }
  - { name: web-, schedule: rate(1 hour), targets: { tag: x }, action: { type: reboot } }
`);

      expect(issues.map((issue) => issue.path)).toEqual(['policies[0].name', 'policies[1].name']);
      expect(issues[0]!.expected).toContain('no "--"');
    });
  });
});
