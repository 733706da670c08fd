import type { DropletAction } from '../actions/droplet-action';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE, renderSnapshotName } from '../policy/snapshot-name';
import type { Policy } from '../policy/policy';
import type { Droplet } from '../ports/droplet-api';
import type { InitiateWorkItem } from './initiate-work-item';
import type { UseCaseDependencies } from './use-case-dependencies';

/** What dispatch knows of a target: everything when it listed a tag, only the id for `dropletIds`. */
export type KnownTarget = Pick<Droplet, 'id'> & Partial<Droplet>;

/** The request body for one droplet: the policy's action, with a snapshot's name rendered for this droplet and tick. */
export function actionFor(policy: Policy, scheduledTime: string, target: KnownTarget): DropletAction {
  if (policy.action.type !== 'snapshot') return policy.action;
  const template = policy.snapshotNameTemplate ?? DEFAULT_SNAPSHOT_NAME_TEMPLATE;
  return {
    ...policy.action,
    name: renderSnapshotName(template, {
      policy: policy.name,
      dropletId: target.id,
      dropletName: target.name,
      scheduledTime,
    }),
  };
}

export function buildWorkItem(
  deps: Pick<UseCaseDependencies, 'timing' | 'now'>,
  policy: Policy,
  scheduledTime: string,
  target: KnownTarget,
): InitiateWorkItem {
  return {
    policy: policy.name,
    ...(policy.team !== undefined ? { team: policy.team } : {}),
    scheduledTime,
    dropletId: target.id,
    dropletName: target.name,
    diskGb: target.diskGb,
    region: target.regionSlug,
    observedStatus: target.status,
    action: actionFor(policy, scheduledTime, target),
    timeoutMinutes: policy.timeoutMinutes,
    fallback: policy.fallback,
    retention: policy.retention ? { ...policy.retention } : undefined,
    skipWhenAlreadyInState: policy.skipWhenAlreadyInState,
    // A busy droplet is retried until the action's own timeout would have run out. A tick
    // dispatched late (by hand, with --at in the past) counts from now.
    retryUntil: deps.timing.afterDo(
      Math.max(Date.parse(scheduledTime), deps.now().getTime()),
      policy.timeoutMinutes * 60_000,
    ),
  };
}
