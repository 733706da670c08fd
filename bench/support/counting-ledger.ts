import type { ActionLedger } from '../../lambdas/core/ports/action-ledger';

/**
 * Writes to action items. A run's own two writes (claim, dispatched) are per tick, not per action,
 * so they are not counted: the figure is what each action costs on its way to `in-progress`.
 */
const WRITES: readonly (keyof ActionLedger)[] = [
  'claimAction',
  'recordTerminalWithoutAction',
  'markStarted',
  'retryClaim',
  'reschedule',
  'markTerminal',
  'recordSnapshotDeletion',
];

/** Counts the ledger's writes to action items (a bulk record counts one per item), to measure writes per action. */
export function countingLedger(ledger: ActionLedger): {
  readonly ledger: ActionLedger;
  readonly writes: () => number;
} {
  let writes = 0;
  const counted = new Proxy(ledger, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (WRITES.includes(property as keyof ActionLedger)) writes += 1;
        if (property === 'recordBulkActions') writes += (args[0] as { actions: unknown[] }).actions.length;
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { ledger: counted, writes: () => writes };
}
