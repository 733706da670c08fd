import { eachWithConcurrency } from '../concurrency/each-with-concurrency';
import { actionId } from '../ledger/item-id';
import type { LeftAlone } from '../overrides/droplets-left-alone';
import type { Policy } from '../policy/policy';
import { commit } from '../state/commit';
import { actionFor, type KnownTarget } from './build-work-item';
import { runEffects } from './run-effects';
import type { UseCaseDependencies } from './use-case-dependencies';

/** Ledger writes in flight at once while recording the droplets a tick leaves alone. */
const WRITE_CONCURRENCY = 8;

/**
 * Records each target a tick must leave alone (a skip tag, a snoozed droplet) as `skipped` with
 * the reason, and publishes its `Droplet Action Skipped` event, so that audit and notifications say
 * why nothing happened to it. Answers the targets to act on. A redelivery of the tick finds the
 * items already written and writes nothing again.
 */
export async function recordLeftAlone(
  deps: UseCaseDependencies,
  policy: Policy,
  scheduledTime: string,
  targets: readonly KnownTarget[],
  leftAlone: LeftAlone,
): Promise<KnownTarget[]> {
  const toAct: KnownTarget[] = [];
  const toSkip: { target: KnownTarget; reason: string }[] = [];
  for (const target of targets) {
    const reason = leftAlone.reasonFor(target);
    if (reason === undefined) toAct.push(target);
    else toSkip.push({ target, reason });
  }
  await eachWithConcurrency(toSkip, WRITE_CONCURRENCY, async ({ target: given, reason }) => {
    // A droplet by id is known by its id alone, unless a skip-tag list showed it.
    const target: KnownTarget = { ...leftAlone.listed(given.id), ...given };
    const { type, ...params } = actionFor(policy, scheduledTime, target) as {
      type: Policy['action']['type'];
    };
    const skipped = await commit(
      deps,
      actionId(policy.name, scheduledTime, target.id),
      {
        type: 'skip',
        reason,
        init: {
          kind: 'action',
          policy: policy.name,
          scheduledTime,
          dropletId: target.id,
          dropletName: target.name,
          region: target.regionSlug,
          type,
          params,
          mode: 'per-droplet',
        },
      },
      null,
    );
    // Already recorded by an earlier delivery of the tick (skipped, or started before the tag came).
    if (skipped.ok) await runEffects(deps, skipped.item);
  });
  return toAct;
}
