import { actionId } from '../ledger/item-id';
import type { ActionRecord } from '../ledger/action-record';
import type { LedgerStatus } from '../ledger/ledger-status';
import type { LineageRecord } from '../ledger/lineage-record';
import type { ActionLedger } from '../ports/audit-queries';

/** The unpark's steps (see `parkingWorkflow`): create, restore, the park snapshot's deletion. */
const UNPARK_STEPS = [0, 1, 2] as const;

const OPEN: ReadonlySet<LedgerStatus> = new Set<LedgerStatus>(['pending', 'in-progress']);

/**
 * Why a park must not start on this lineage's droplet yet: the unpark that created it is still
 * putting it back (its reserved IP, volumes, firewalls and project) or pruning its snapshots. A park
 * that read the droplet now would record a specification without what the restore has yet to give
 * back, and take the lineage from under the restore. Undefined when that unpark has ended, or when
 * a park moved the lineage last.
 */
export async function unparkUnfinished(
  ledger: ActionLedger,
  lineage: LineageRecord,
): Promise<string | undefined> {
  const { holder } = lineage;
  if (lineage.status !== 'active' || holder.policy === lineage.policy) return undefined;
  const unfinished = (item: ActionRecord) =>
    `its unpark ${holder.policy} of ${holder.scheduledTime} has not finished (${item.type} ${item.status})`;
  let before: ActionRecord | undefined;
  for (const step of UNPARK_STEPS) {
    const item = await ledger.get(actionId(holder.policy, holder.scheduledTime, holder.dropletId, step));
    if (item?.kind !== 'action') {
      // No such step: the one before it ended the workflow, unless its outbox has yet to write it.
      return before?.outbox?.includes('next-step') ? unfinished(before) : undefined;
    }
    if (OPEN.has(item.status)) return unfinished(item);
    before = item;
  }
  return undefined;
}
