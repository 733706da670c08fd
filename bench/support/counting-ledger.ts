import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';

export interface MeteredLedger {
  readonly ledger: ActionLedger;
  /** Writes by operation and item kind (`create run`, `put action`, `claimActionOwner`). */
  readonly writes: Readonly<Record<string, number>>;
  /**
   * Writes that are not a run's own (a run's are per tick, not per action): action items, their
   * owner items and deletions. What each action costs on its way to `in-progress`.
   */
  actionItemWrites(): number;
  /** Query pages and items read (a `get` reads one item). */
  readonly reads: { queries: number; items: number };
}

/** Wraps a ledger and counts its writes and reads, for the writes-per-action and cost figures. */
export function meteredLedger(ledger: ActionLedger): MeteredLedger {
  const writes: Record<string, number> = {};
  const reads = { queries: 0, items: 0 };
  const counted = new Proxy(ledger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const name = String(property);
      return async (...args: unknown[]) => {
        const result = (await (value as (...inner: unknown[]) => Promise<unknown>).apply(target, args)) as
          { items?: unknown[] } | undefined;
        if (name.startsWith('find') || name.startsWith('query')) {
          reads.queries += 1;
          reads.items += result?.items?.length ?? 0;
        } else if (name === 'get') {
          reads.items += 1;
        } else {
          const kind = name === 'claimActionOwner' ? '' : ` ${(args[0] as LedgerRecord).kind}`;
          writes[`${name}${kind}`] = (writes[`${name}${kind}`] ?? 0) + 1;
        }
        return result;
      };
    },
  });
  return {
    ledger: counted,
    writes,
    reads,
    actionItemWrites: () =>
      Object.entries(writes).reduce(
        (sum, [operation, count]) => sum + (operation.endsWith(' run') ? 0 : count),
        0,
      ),
  };
}
