/**
 * The CloudWatch metrics the reconcile handler (`lambdas/handlers/reconcile.ts`) emits in Embedded
 * Metric Format through Powertools Metrics, and that the alarms and the dashboard read. An alarm
 * matches a metric only with exactly the same dimensions: Powertools adds `service` (its
 * `serviceName`) to every metric, so the alarms name the same value here.
 */
export const RECONCILE_METRICS = {
  namespace: 'DropletScheduler',
  service: 'droplet-scheduler-reconcile',
  /** Count: actions that reached `errored` in one run. */
  actionsFailed: 'ActionsFailed',
  /** Count: actions recorded `timed-out` in one run. */
  actionsTimedOut: 'ActionsTimedOut',
  /** Count: actions that reached `completed` in one run. */
  actionsCompleted: 'ActionsCompleted',
  /** Count: DigitalOcean requests one run made. */
  apiRequests: 'ApiRequests',
  /** Seconds: how late the most overdue open action was checked (now - dueAt), per run. */
  reconcileLagSeconds: 'ReconcileLagSeconds',
} as const;
