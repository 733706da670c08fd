import { parsePolicy } from '../../lambdas/core/policy/parse-policy';
import type { Policy } from '../../lambdas/core/policy/policy';
import { PolicyValidationError } from '../../lambdas/core/policy/policy-validation-error';
import { loadPolicies } from '../../lambdas/core/policy/load-policies';
import { POLICIES_SOURCE } from '../../lib/validate-policies';
import { samplePolicies } from './support/sample-policies';
import { buildScheduler, synthScheduler } from './support/synth-scheduler';

const [snapshots, weekendOff] = samplePolicies() as [Policy, Policy, Policy];

/** An offline snapshot workflow and a parkSchedule's pair, through the real loader. */
function workflowPolicies(): Policy[] {
  return [
    ...loadPolicies(
      `
defaults: { timezone: Europe/Berlin }
policies:
  - name: offline-snapshot
    schedule: cron(0 3 ? * SUN *)
    targets: { tag: production }
    steps: [{ type: shutdown, fallback: power_off }, { type: snapshot }, { type: power_on }]
    onFailure: { type: power_on }
  - name: nights
    parkSchedule: { park: '20:00', unpark: '07:00', days: MON-FRI }
    targets: { tag: staging }
    keepSnapshots: 1
`,
      'workflows.yaml',
    ).policies,
  ];
}

function constructionError(policies: Policy[]): PolicyValidationError {
  try {
    buildScheduler({ policies });
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error('expected the construct to refuse the policies');
}

describe('DropletScheduler policy validation', () => {
  test.each([
    ['a misspelled time zone', { timezone: 'Europe/Berln' }, 'timezone', '"Europe/Berln"'],
    ['a cron with five fields', { schedule: 'cron(0 2 * *)' }, 'schedule', '"cron(0 2 * *)"'],
    ['a name with a space', { name: 'nightly snapshots' }, 'name', '"nightly snapshots"'],
  ])(
    'given a policy with %s, when the construct is built, then synth stops with the loader issue at policies[1]',
    (_case, change, field, received) => {
      const bad = { ...weekendOff, ...change } as Policy;
      const error = constructionError([snapshots, bad]);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ path: `policies[1].${field}`, received });
      // The same sentence the loader's schema gives for this policy on its own.
      const direct = catchError(() => parsePolicy(bad));
      expect(error.issues[0]!.message).toBe(direct.issues[0]!.message);
      expect(error.message).toContain(`policies[1].${field}: expected`);
    },
  );

  test('given two policies with one name, when the construct is built, then the second is refused by path', () => {
    const error = constructionError([snapshots, { ...weekendOff, name: snapshots.name }]);
    expect(error.message).toBe(
      `DropletScheduler policies policies[1].name: expected a name no other policy has (policies[0] is already "${snapshots.name}"), got: "${snapshots.name}"`,
    );
  });

  test('given several bad policies, when the construct is built, then every issue is listed', () => {
    const error = constructionError([
      { ...snapshots, timezone: 'Nowhere/Else' },
      { ...weekendOff, schedule: 'every day' },
    ]);
    expect(error.issues.map((issue) => issue.path)).toEqual(['policies[0].timezone', 'policies[1].schedule']);
  });

  test('given a workflow and a parkSchedule from the loader, when synthesized, then each schedule input carries steps, onFailure and parking unchanged', () => {
    const policies = workflowPolicies();
    const { template } = synthScheduler({ policies });

    for (const policy of policies) {
      const schedules = template.findResources('AWS::Scheduler::Schedule', {
        Properties: { Name: policy.name },
      });
      const target = (Object.values(schedules)[0]!.Properties as { Target: { Input: string } }).Target;
      expect(JSON.parse(target.Input).policy).toEqual(JSON.parse(JSON.stringify(policy)));
    }
    expect(policies.map((policy) => [policy.name, policy.steps?.length, policy.parking?.role])).toEqual([
      ['offline-snapshot', 2, undefined],
      ['nights-park', undefined, 'park'],
      ['nights-unpark', undefined, 'unpark'],
    ]);
  });

  test.each([
    [
      'a fallback on a snapshot step',
      (policies: Policy[]) => [
        {
          ...policies[0]!,
          steps: [{ ...policies[0]!.steps![0]!, fallback: 'power_off' as const }, policies[0]!.steps![1]!],
        },
        policies[1]!,
        policies[2]!,
      ],
      'policies[0].steps[0].fallback',
      '"power_off"',
    ],
    [
      'a park policy that powers on',
      (policies: Policy[]) => [
        policies[0]!,
        { ...policies[1]!, action: { type: 'power_on' as const } },
        policies[2]!,
      ],
      'policies[1].action.type',
      '"power_on"',
    ],
    [
      'keepSnapshots over 30',
      (policies: Policy[]) => [
        policies[0]!,
        policies[1]!,
        { ...policies[2]!, parking: { ...policies[2]!.parking!, keepSnapshots: 31 } },
      ],
      'policies[2].parking.keepSnapshots',
      '31',
    ],
  ])(
    'given %s, when the construct is built, then synth stops with the loader schema sentence',
    (_case, change, path, received) => {
      const policies = change(workflowPolicies());
      const error = constructionError(policies);
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]).toMatchObject({ path, received });
      const index = Number(/^policies\[(\d+)\]/.exec(path)![1]);
      const direct = catchError(() => parsePolicy(policies[index]));
      expect(error.issues[0]!.message).toBe(direct.issues[0]!.message);
      expect(error.message).toContain(`${POLICIES_SOURCE} ${path}: expected`);
    },
  );

  test('given an unpark policy without its park policy, when the construct is built, then synth stops naming parkPolicy', () => {
    const [, , unpark] = workflowPolicies();
    const error = constructionError([snapshots, unpark!]);
    expect(error.message).toBe(
      `${POLICIES_SOURCE} policies[1].parking.parkPolicy: expected the name of a park policy among these policies (one with parking.role park), got: "nights-park"`,
    );
  });

  test('given no policies, when the construct is built, then only the reconcile schedule exists', () => {
    const { scheduler } = buildScheduler({ policies: [] });
    expect(scheduler.schedules.size).toBe(0);
    expect(scheduler.reconcileSchedule).toBeDefined();
  });
});

function catchError(run: () => unknown): PolicyValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyValidationError) return error;
    throw error;
  }
  throw new Error('expected a PolicyValidationError');
}
