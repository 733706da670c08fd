import { Metrics } from '@aws-lambda-powertools/metrics';
import { createReconcileHandler, RECONCILE_METRICS } from './reconcile-handler';
import { awsRuntime } from './runtime/aws-runtime';
import { createLogger } from './runtime/logger';

export const handler = createReconcileHandler(
  awsRuntime,
  createLogger(RECONCILE_METRICS.service),
  new Metrics({ namespace: RECONCILE_METRICS.namespace, serviceName: RECONCILE_METRICS.service }),
);
