import { actionId, lineageAliasId, lineageId } from '../ledger/item-id';
import type { LineageRecord, WorkflowRef } from '../ledger/lineage-record';
import type { ActionLedger } from '../ports/audit-queries';
import { commit, type CommitDependencies } from '../state/commit';
import type { InitiateWorkItem } from '../use-cases/initiate-work-item';

/** The workflow a step belongs to: the key of its first step, which the lineage names as its holder. */
export function workflowOf(
  work: Pick<InitiateWorkItem, 'policy' | 'scheduledTime' | 'dropletId'>,
): WorkflowRef {
  return { policy: work.policy, scheduledTime: work.scheduledTime, dropletId: work.dropletId };
}

/** The ledger key of a workflow's first step. */
export function firstStepOf(ref: WorkflowRef) {
  return actionId(ref.policy, ref.scheduledTime, ref.dropletId);
}

export async function lineageById(ledger: ActionLedger, id: number): Promise<LineageRecord | undefined> {
  const found = await ledger.get(lineageId(id));
  return found?.kind === 'lineage' ? found : undefined;
}

/** The lineage a droplet id belongs to (its first id, or one an unpark created), if it was ever parked. */
export async function lineageOfDroplet(
  ledger: ActionLedger,
  dropletId: number,
): Promise<LineageRecord | undefined> {
  const alias = await ledger.get(lineageAliasId(dropletId));
  return alias?.kind === 'lineage-alias' ? lineageById(ledger, alias.lineageId) : undefined;
}

/**
 * Points `dropletId` at its lineage, once. Answers why not when the droplet is already recorded in
 * another lineage, which only a person editing the ledger could bring about.
 */
export async function recordAlias(
  deps: CommitDependencies,
  dropletId: number,
  lineage: Pick<LineageRecord, 'lineageId' | 'policy' | 'scheduledTime'>,
): Promise<string | undefined> {
  const written = await commit(deps, lineageAliasId(dropletId), {
    type: 'alias',
    init: {
      kind: 'lineage-alias',
      policy: lineage.policy,
      scheduledTime: lineage.scheduledTime,
      dropletId,
      lineageId: lineage.lineageId,
    },
  });
  if (written.ok) return undefined;
  const current = written.current;
  if (current?.kind === 'lineage-alias' && current.lineageId === lineage.lineageId) return undefined;
  return `droplet ${dropletId}: expected it in lineage ${lineage.lineageId}, found it recorded in ${
    current?.kind === 'lineage-alias' ? `lineage ${current.lineageId}` : 'another item'
  }`;
}
