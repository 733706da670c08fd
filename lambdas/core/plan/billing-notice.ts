import type { Policy } from '../policy/policy';

const POWER_SCHEDULE_TYPES = new Set(['power_off', 'shutdown', 'power_on']);

/**
 * DigitalOcean bills a droplet whether it is on or off, so a power schedule must never be sold as
 * a saving. Real savings need snapshot-and-destroy, which this tool does not do silently.
 */
export const BILLING_NOTICE =
  'DigitalOcean bills powered-off droplets: a power schedule on its own saves nothing on the bill.';

/** True for policies that only switch droplets on or off, including `powerSchedule` expansions. */
export function isPowerSchedule(policy: Pick<Policy, 'action' | 'expandedFrom'>): boolean {
  return policy.expandedFrom !== undefined || POWER_SCHEDULE_TYPES.has(policy.action.type);
}
