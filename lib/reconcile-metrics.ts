// The names are owned by the reconcile handler that emits them; the alarms import them from there.
export { RECONCILE_METRICS } from '../lambdas/handlers/reconcile-metrics';
