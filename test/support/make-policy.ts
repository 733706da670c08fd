import { powerStateAfter } from '../../lambdas/core/actions/action-catalog';
import type { Policy } from '../../lambdas/core/policy/policy';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE } from '../../lambdas/core/policy/snapshot-name';

/** A loaded policy for use-case tests, with the loader's defaults for whatever the test does not care about. */
export function makePolicy(policy: Partial<Policy> & Pick<Policy, 'name' | 'targets' | 'action'>): Policy {
  return {
    enabled: true,
    schedule: 'cron(0 2 * * ? *)',
    timezone: 'UTC',
    timeoutMinutes: 10,
    skipWhenAlreadyInState: powerStateAfter(policy.action.type) !== undefined,
    skipDates: [],
    ...(policy.action.type === 'snapshot' ? { snapshotNameTemplate: DEFAULT_SNAPSHOT_NAME_TEMPLATE } : {}),
    ...policy,
  };
}
