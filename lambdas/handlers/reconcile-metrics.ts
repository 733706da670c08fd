// A file of its own, free of the handler's imports: the CDK alarms read these names at synth, and
// the construct's public types must not reach the Lambda runtime's (Powertools, aws-lambda).
/**
 * The reconciler's metrics, in Embedded Metric Format. The CDK alarms and dashboard read these
 * names; an alarm matches only the exact dimensions, and Powertools adds `service` to each metric.
 */
export const RECONCILE_METRICS = {
  namespace: 'DropletScheduler',
  service: 'droplet-scheduler-reconcile',
  /** Count: actions that reached `completed` in one run. */
  actionsCompleted: 'ActionsCompleted',
  /** Count: actions that reached `errored` in one run. */
  actionsFailed: 'ActionsFailed',
  /** Count: actions recorded `timed-out` in one run. */
  actionsTimedOut: 'ActionsTimedOut',
  /** Seconds: how late the most overdue open action was looked at, per run. */
  reconcileLagSeconds: 'ReconcileLagSeconds',
  /** Count: DigitalOcean requests one run made. */
  apiRequests: 'ApiRequests',
} as const;
