import { loadPolicies } from '../../../lambdas/core/policy/load-policies';
import type { Policy } from '../../../lambdas/core/policy/policy';
import { makePolicy } from '../../support/make-policy';

/** Three policies through the real loader: an enabled snapshot, a disabled shutdown with a window, and a power-on with dates. */
export const SAMPLE_POLICIES_YAML = `
defaults:
  timezone: Europe/Berlin
policies:
  - name: nightly-snapshots
    schedule: cron(0 2 * * ? *)
    targets: { tag: production }
    action: { type: snapshot }
    retention: { keepLast: 7 }
  - name: weekend-off
    enabled: false
    schedule: cron(0 20 ? * FRI *)
    timezone: America/New_York
    flexibleWindowMinutes: 15
    targets: { tag: staging }
    action: { type: shutdown, fallback: power_off, timeoutMinutes: 5 }
  - name: monday-on
    schedule: cron(0 7 ? * MON *)
    startDate: 2090-01-01T00:00:00.000Z
    endDate: 2091-01-01T00:00:00.000Z
    targets: { dropletIds: [3164444, 3164450] }
    action: { type: power_on }
`;

export function samplePolicies(): Policy[] {
  return [...loadPolicies(SAMPLE_POLICIES_YAML, 'sample-policies.yaml').policies];
}

/** The sample policies and one of team `web-shop`, for a deployment with a team unit. */
export function samplePoliciesWithTeam(): Policy[] {
  return [
    ...samplePolicies(),
    makePolicy({
      name: 'shop-off',
      team: 'web-shop',
      targets: { tag: 'shop' },
      action: { type: 'shutdown' },
    }),
  ];
}
