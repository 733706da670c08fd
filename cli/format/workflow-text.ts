import type { ParkingOptions, Policy, PolicyStep } from '../../lambdas/core/policy';

/** `shutdown (fallback power_off)`: one step as people read it. */
function stepText(step: Pick<PolicyStep, 'action' | 'fallback'>): string {
  return step.fallback ? `${step.action.type} (fallback ${step.fallback})` : step.action.type;
}

/**
 * A workflow in one line, `shutdown (fallback power_off) → snapshot → power_on; on failure:
 * power_on`; undefined for a policy of one action and no `onFailure`, which its action says all of.
 */
export function stepsText(
  policy: Pick<Policy, 'action' | 'fallback' | 'steps' | 'onFailure'>,
): string | undefined {
  if (policy.steps === undefined && policy.onFailure === undefined) return undefined;
  const chain = [policy, ...(policy.steps ?? [])].map(stepText).join(' → ');
  return policy.onFailure ? `${chain}; on failure: ${stepText(policy.onFailure)}` : chain;
}

/** What a parking policy does to each droplet, in order (DESIGN.md section 4b). */
export function parkingStepsText(parking: ParkingOptions): string {
  if (parking.role === 'park') {
    return 'shutdown (fallback power_off) → snapshot → confirm it is listed → record its spec → detach volumes → destroy';
  }
  const snapshots =
    parking.keepSnapshots === 0
      ? 'delete the park snapshot'
      : `keep the newest ${parking.keepSnapshots} park snapshot${parking.keepSnapshots === 1 ? '' : 's'}, delete older ones`;
  return `create from its park snapshot → wait until active → reassign its reserved IP → reattach volumes → restore firewalls and project → ${snapshots}`;
}

/**
 * What parking may lose, as the options allow it, and which droplets it leaves alone instead:
 * `nothing; droplets without a reserved IP or with backups enabled are skipped, not parked`.
 */
export function parkingLossText(parking: ParkingOptions): string {
  const losses = [
    parking.allowIpChange ? 'the public IPv4 of droplets without a reserved IP (allowIpChange)' : undefined,
    parking.allowBackupLoss ? 'the backups of droplets that have them (allowBackupLoss)' : undefined,
  ].filter(Boolean);
  const skipped = [
    parking.allowIpChange ? undefined : 'without a reserved IP',
    parking.allowBackupLoss ? undefined : 'with backups enabled',
  ].filter(Boolean);
  const lost = losses.length > 0 ? losses.join(', ') : 'nothing';
  return skipped.length > 0 ? `${lost}; droplets ${skipped.join(' or ')} are skipped, not parked` : lost;
}
