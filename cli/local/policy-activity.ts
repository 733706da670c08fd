import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { isTerminal } from '../../lambdas/core/ledger/ledger-status';
import type { Policy } from '../../lambdas/core/policy/policy';

/** How far back `--run-now` looks for a policy's unfinished ticks. */
const LOOK_BACK_MS = 2 * 24 * 3_600_000;

/**
 * A policy's actions that are not finished: open in the ledger (pending, in progress) since `from`,
 * plus its items still in the work queue (a follow-up not yet initiated, a busy droplet's retry).
 */
export async function unfinishedActions(
  runtime: LocalRuntime,
  policy: string,
  from = new Date(runtime.now().getTime() - LOOK_BACK_MS),
): Promise<{ open: ActionRecord[]; queued: number }> {
  const open: ActionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.ledger.queryByPolicy(policy, {
      from: from.toISOString(),
      limit: 1000,
      cursor,
    });
    for (const item of page.items) if (item.kind === 'action' && !isTerminal(item.status)) open.push(item);
    cursor = page.cursor;
  } while (cursor);
  const queued = runtime.queue.waiting().filter((waiting) => waiting.item.policy === policy).length;
  return { open, queued };
}

/**
 * Whether two policies may act on the same droplets: the same tag, shared droplet ids, or a tag
 * beside ids (which droplets a tag holds is not known without asking, so that counts as shared).
 */
export function targetsOverlap(a: Policy, b: Policy): boolean {
  if ('tag' in a.targets && 'tag' in b.targets) return a.targets.tag === b.targets.tag;
  if ('dropletIds' in a.targets && 'dropletIds' in b.targets) {
    const ids = new Set(a.targets.dropletIds);
    return b.targets.dropletIds.some((id) => ids.has(id));
  }
  return true;
}
