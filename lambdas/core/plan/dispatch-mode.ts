import { catalogEntry } from '../actions/action-catalog';
import type { RunMode } from '../ledger/run-record';
import type { Policy } from '../policy/policy';

/**
 * How a tick of the policy starts its actions, by the same rule as `dispatchRun`: one bulk POST
 * for a tag when DigitalOcean accepts the type by tag, except snapshots (a bulk snapshot names
 * every image alike, and retention finds a policy's own snapshots by name), else one POST per
 * droplet. A workflow's first step follows the same rule (later steps go per droplet, each after
 * its droplet's step before it). A parking policy always goes per droplet: its first request is
 * a read of each droplet, not a DigitalOcean action. `dispatchRun` uses it as is.
 */
export function dispatchModeOf(policy: Pick<Policy, 'action' | 'targets' | 'parking'>): RunMode {
  const type = policy.action.type;
  return policy.parking === undefined &&
    'tag' in policy.targets &&
    catalogEntry(type).bulkByTag &&
    type !== 'snapshot'
    ? 'bulk'
    : 'per-droplet';
}
