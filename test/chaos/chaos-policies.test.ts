import { QUICK_PROFILE } from '../../scripts/chaos/chaos-profile';
import { chaosPolicies, policiesYaml } from '../../scripts/chaos/chaos-policies';
import { loadPolicies } from '../../lambdas/core/policy';
import type { Policy } from '../../lambdas/core/policy/policy';
import { PolicyTimer } from '../../cli/local/policy-timer';

describe('chaos policy file', () => {
  const windowEnd = new Date('2026-11-27T09:31:30.000Z');
  const yaml = policiesYaml(chaosPolicies(QUICK_PROFILE, [400_000_001, 400_000_002]), windowEnd);

  test('given the chaos policies, when their file is loaded, then all five load with the window end as their end date', () => {
    // Act
    const { policies } = loadPolicies(yaml, 'chaos-policies.yaml');

    // Assess
    expect(policies.map((policy) => policy.name)).toEqual([
      'bulk-off',
      'bulk-cycle',
      'snap-keep',
      'shut-fallback',
      'reboot-ids',
    ]);
    for (const policy of policies) expect(policy.endDate).toBe(windowEnd.toISOString());
  });

  test('given the window end as end date, when local policy timers start before and after it, then the last tick is inside the window and none follows', () => {
    // Arrange
    const { policies } = loadPolicies(yaml, 'chaos-policies.yaml');
    const everyMinute = policies.find((policy) => policy.name === 'snap-keep') as Policy;
    const beforeLastTick = new Date('2026-11-27T09:30:30.000Z');
    const afterLastTick = new Date('2026-11-27T09:31:00.001Z');

    // Act
    const inWindow = new PolicyTimer(
      everyMinute,
      () => undefined,
      () => beforeLastTick,
    );
    const settling = new PolicyTimer(
      everyMinute,
      () => undefined,
      () => afterLastTick,
    );
    inWindow.start();
    settling.start();
    const next = inWindow.next;
    const nextWhileSettling = settling.next;
    inWindow.stop();
    settling.stop();

    // Assess
    expect(next?.toISOString()).toBe('2026-11-27T09:31:00.000Z');
    expect(nextWhileSettling).toBeUndefined();
  });
});
