import { Metrics } from '@aws-lambda-powertools/metrics';
import { createReconcileHandler, METRICS_NAMESPACE } from './reconcile-handler';
import { awsRuntime } from './runtime/aws-runtime';
import { createLogger } from './runtime/logger';

export const handler = createReconcileHandler(
  awsRuntime,
  createLogger('droplet-scheduler-reconcile'),
  new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'droplet-scheduler-reconcile' }),
);
