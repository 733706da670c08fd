export { DropletScheduler, DEFAULT_API_URL } from './droplet-scheduler';
export {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_INITIATE_CONCURRENCY,
  type DropletSchedulerNotifications,
  type DropletSchedulerProps,
  type DropletSchedulerTeam,
} from './droplet-scheduler-props';
export { SchedulerUnit } from './scheduler-unit';
export { Notifications, NOTIFIED_DETAIL_TYPES, WEBHOOK_SECRET_FIELDS } from './notifications';
export { DropletSchedulerStack, type DropletSchedulerStackProps } from './droplet-scheduler-stack';
export { POLICY_TICK_RETRY } from './policy-schedules';
export { RECONCILE_METRICS } from './reconcile-metrics';
export {
  loadPolicies,
  loadPolicyFile,
  PolicyValidationError,
  type ParkingOptions,
  type Policy,
  type PolicySet,
  type PolicyStep,
} from '../lambdas/core/policy';
