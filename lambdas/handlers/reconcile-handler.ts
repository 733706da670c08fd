import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { reconcileActions, type ReconcileReport } from '../core/use-cases/reconcile-actions';
import type { UseCaseDependencies } from '../core/use-cases/use-case-dependencies';

/** The CloudWatch namespace of the reconciler's metrics; the CDK alarms read the same one. */
export const METRICS_NAMESPACE = 'DropletScheduler';

/**
 * The reconcile Lambda, on its own schedule: one pass over the open actions that are due, with
 * the pass's results as EMF metrics (the alarms on failures, timeouts and lag read them).
 */
export function createReconcileHandler(
  dependencies: () => Promise<UseCaseDependencies & { apiRequests: () => number }>,
  logger: Logger,
  metrics: Metrics,
) {
  return async (): Promise<ReconcileReport> => {
    const deps = await dependencies();
    const requestsBefore = deps.apiRequests();
    try {
      const report = await reconcileActions(deps);
      metrics.addMetric('ActionsCompleted', MetricUnit.Count, report.completed);
      metrics.addMetric('ActionsFailed', MetricUnit.Count, report.errored);
      metrics.addMetric('ActionsTimedOut', MetricUnit.Count, report.timedOut);
      metrics.addMetric('ReconcileLagSeconds', MetricUnit.Seconds, report.lagSeconds);
      metrics.addMetric('ApiRequests', MetricUnit.Count, deps.apiRequests() - requestsBefore);
      logger.info('reconciled', { report });
      return report;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
