import { eachWithConcurrency } from '../concurrency/each-with-concurrency';
import { actionId } from '../ledger/item-id';
import type { LeftAlone } from '../overrides/droplets-left-alone';
import type { Policy } from '../policy/policy';
import { commit } from '../state/commit';
import type { NewAction } from '../state/new-item';
import { workflowOf } from '../workflow/workflow-of';
import { stepFields, type KnownTarget } from './build-work-item';
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
    const { type, params } = firstStepOf(policy, scheduledTime, target);
    const skipped = await commit(
      deps,
      actionId(policy.name, scheduledTime, target.id),
      {
        type: 'skip',
        reason,
        init: {
          kind: 'action',
          policy: policy.name,
          team: policy.team,
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

/**
 * The type and parameters of the step a target would have started: a droplet action (its body,
 * the snapshot's name rendered), or a parking operation (`inspect`), which has no request body.
 */
function firstStepOf(
  policy: Policy,
  scheduledTime: string,
  target: KnownTarget,
): { type: NewAction['type']; params: Readonly<Record<string, unknown>> } {
  const first = stepFields(workflowOf(policy, target, scheduledTime), 0);
  if (first.action !== undefined) {
    const { type, ...params } = first.action as typeof first.action & Record<string, unknown>;
    return { type, params };
  }
  const operation = first.operation as NonNullable<typeof first.operation>;
  return { type: operation.type, params: operation.params ?? {} };
}
