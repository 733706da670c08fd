import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { LookBudget } from '../core/reconcile/look-budget';
import { reconcileActions, type ReconcileReport } from '../core/use-cases/reconcile-actions';
import type { UseCaseDependencies } from '../core/use-cases/use-case-dependencies';
import { RECONCILE_METRICS } from './reconcile-metrics';

export { RECONCILE_METRICS };

/**
 * The reconcile Lambda, on its own schedule: one pass over the open actions that are due, with
 * the pass's results as EMF metrics (the alarms on failures, timeouts and lag read them). Its
 * status reads stay within `budget`, 10% of the token's hourly limit unless told otherwise, which
 * lives as long as the warm container and saves up idle minutes for a burst.
 */
export function createReconcileHandler(
  dependencies: () => Promise<UseCaseDependencies & { apiRequests: () => number }>,
  logger: Logger,
  metrics: Metrics,
  budget: LookBudget = new LookBudget(),
) {
  return async (_event?: unknown, context?: Context): Promise<ReconcileReport> => {
    if (context) logger.addContext(context);
    const deps = await dependencies();
    const requestsBefore = deps.apiRequests();
    try {
      const report = await reconcileActions(deps, { budget });
      metrics.addMetric(RECONCILE_METRICS.actionsCompleted, MetricUnit.Count, report.completed);
      metrics.addMetric(RECONCILE_METRICS.actionsFailed, MetricUnit.Count, report.errored);
      metrics.addMetric(RECONCILE_METRICS.actionsTimedOut, MetricUnit.Count, report.timedOut);
      metrics.addMetric(RECONCILE_METRICS.reconcileLagSeconds, MetricUnit.Seconds, report.lagSeconds);
      metrics.addMetric(RECONCILE_METRICS.apiRequests, MetricUnit.Count, deps.apiRequests() - requestsBefore);
      logger.info('reconciled', { report });
      return report;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
