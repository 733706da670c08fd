import { powerStateAfter } from '../../lambdas/core/actions/action-catalog';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { DropletSeed } from '../../simulator';

/**
 * Droplets per tag in a simulated fleet.
 * @default 5
 */
export const DROPLETS_PER_TAG = 5;

/**
 * The simulated account `local --simulate` starts with: a handful of droplets for each tag the
 * policies name and every droplet id they name, each with 1 GB of used disk so that a snapshot
 * takes simulated minutes, not hours. A tag that only `power_on` policies target starts off, so
 * that powering on has something to do; every other droplet starts active. The fleet is the same
 * on every start (same ids, names and sizes), so a restart meets the droplets the ledger knows.
 */
export function simulatedFleet(policies: readonly Policy[], perTag = DROPLETS_PER_TAG): DropletSeed[] {
  const tagStates = new Map<string, Set<string>>();
  const ids = new Map<number, Set<string>>();
  for (const policy of policies) {
    const state = powerStateAfter(policy.action.type) ?? 'other';
    if ('tag' in policy.targets) {
      const states = tagStates.get(policy.targets.tag) ?? new Set<string>();
      tagStates.set(policy.targets.tag, states.add(state));
    } else {
      for (const id of policy.targets.dropletIds) ids.set(id, (ids.get(id) ?? new Set<string>()).add(state));
    }
  }
  const startsOff = (states: Set<string>) => states.size === 1 && states.has('active');
  const seeds: DropletSeed[] = [];
  // Named ids first: generated ids then step around them.
  for (const [id, states] of [...ids].sort(([a], [b]) => a - b)) {
    seeds.push({ id, name: `droplet-${id}`, status: startsOff(states) ? 'off' : 'active', usedDiskGb: 1 });
  }
  for (const [tag, states] of [...tagStates].sort(([a], [b]) => a.localeCompare(b))) {
    for (let n = 1; n <= perTag; n += 1) {
      seeds.push({
        name: `${tag}-${n}`,
        tags: [tag],
        status: startsOff(states) ? 'off' : 'active',
        usedDiskGb: 1,
      });
    }
  }
  return seeds;
}
