import type { Policy } from '../policy/policy';

const POWER_SCHEDULE_TYPES = new Set(['power_off', 'shutdown', 'power_on']);

/**
 * DigitalOcean bills a droplet whether it is on or off, so a power schedule must never be sold as
 * a saving. What does cut the bill is parking (snapshot, destroy, recreate), so the notice names it.
 */
export const BILLING_NOTICE =
  'DigitalOcean bills powered-off droplets: a power schedule on its own saves nothing on the bill. ' +
  'A parkSchedule (snapshot, destroy, recreate) is what cuts it: see docs/policies.md#parking.';

/**
 * True for policies that only switch droplets on or off, `powerSchedule` expansions included:
 * every step is a power action. Never for a parking policy, though its `action` reads as a power
 * action: parking is the way to save.
 */
export function isPowerSchedule(policy: Pick<Policy, 'action' | 'steps' | 'parking'>): boolean {
  if (policy.parking) return false;
  return [policy, ...(policy.steps ?? [])].every((step) => POWER_SCHEDULE_TYPES.has(step.action.type));
}
