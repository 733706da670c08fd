import { parsePolicy } from '../../lambdas/core/policy/parse-policy';
import type { Policy } from '../../lambdas/core/policy/policy';
import { PolicyValidationError } from '../../lambdas/core/policy/policy-validation-error';
import { samplePolicies } from './support/sample-policies';
import { buildScheduler } from './support/synth-scheduler';

const [snapshots, weekendOff] = samplePolicies() as [Policy, Policy, Policy];

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
