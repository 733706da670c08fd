/**
 * The CloudWatch metrics the reconcile handler emits in Embedded Metric Format (Powertools Metrics),
 * and that the alarms and the dashboard read. Alarms match a metric only with the exact same
 * dimensions, so the handler must emit these names in this namespace with `service` set to
 * `service` here (Powertools' `serviceName`), and no other default dimension.
 */
export const RECONCILE_METRICS = {
  namespace: 'DropletScheduler',
  service: 'reconcile',
  /** Count: actions that reached `errored` in one run. */
  actionsFailed: 'ActionsFailed',
  /** Count: actions recorded `timed-out` in one run. */
  actionsTimedOut: 'ActionsTimedOut',
  /** Seconds: how late the most overdue open action was checked (now - dueAt), per run. */
  reconcileLagSeconds: 'ReconcileLagSeconds',
} as const;
