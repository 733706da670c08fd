import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { Policy } from '../../lambdas/core/policy/policy';

/** Far enough ahead that every open item is due by it: the open index then lists them all. */
const END_OF_TIME = '9999-12-31T23:59:59.999Z';

export interface UnfinishedOptions {
  /**
   * Stop at the first open item found: enough to know whether to wait.
   * @default false
   */
  readonly firstOnly?: boolean;
}

/**
 * A policy's actions that are not finished: its items on the sparse open index (pending, in
 * progress), plus its items still in the work queue (a follow-up not yet initiated, a busy
 * droplet's retry). The open index holds only what is unfinished, so this never reads a policy's
 * finished history, which for a bulk policy on a large tag grows by thousands of items a tick.
 */
export async function unfinishedActions(
  runtime: LocalRuntime,
  policy: string,
  options: UnfinishedOptions = {},
): Promise<{ open: ActionRecord[]; queued: number }> {
  const queued = runtime.queue.waiting().filter((waiting) => waiting.item.policy === policy).length;
  const open: ActionRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.ledger.findOpenDue(END_OF_TIME, { limit: 1000, cursor });
    for (const item of page.items) if (item.policy === policy && item.kind === 'action') open.push(item);
    cursor = page.cursor;
  } while (cursor && !(options.firstOnly && open.length > 0));
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
