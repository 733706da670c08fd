import { InMemoryEventPublisher } from '../../lambdas/adapters/in-memory/in-memory-event-publisher';
import { reconcileActions, type ReconcileReport } from '../../lambdas/core/use-cases/reconcile-actions';
import type { UseCaseDependencies } from '../../lambdas/core/use-cases/use-case-dependencies';
import type { LocalHarness } from './local-harness';

/**
 * Reconciles (and drains follow-ups) until nothing is open, or the bounded rounds or time run out.
 * Returns every round's report.
 */
export async function reconcileUntilSettled(
  harness: LocalHarness,
  options: { maxRounds?: number; timeoutMs?: number; pauseMs?: number; deps?: UseCaseDependencies } = {},
): Promise<ReconcileReport[]> {
  const deps = options.deps ?? harness.runtime;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const reports: ReconcileReport[] = [];
  for (let round = 0; round < (options.maxRounds ?? 500) && Date.now() < deadline; round += 1) {
    reports.push(await reconcileActions(deps));
    await harness.runtime.drain({ timeoutMs: 10_000 });
    const open = await harness.runtime.ledger.findOpenDue(
      new Date(Date.now() + 365 * 86_400_000).toISOString(),
      { limit: 1 },
    );
    if (open.items.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 20));
  }
  return reports;
}

/** The runtime's ports with an event publisher of their own, to tell two reconcilers' events apart. */
export function withOwnEvents(deps: UseCaseDependencies): {
  deps: UseCaseDependencies;
  events: InMemoryEventPublisher;
} {
  const events = new InMemoryEventPublisher();
  return { deps: { ...deps, events }, events };
}
