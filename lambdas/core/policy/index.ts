export type { Policy, PolicySet, PolicyStep } from './policy';
export type { ParkingOptions } from './parking-options';
export type { PolicyTargets } from './policy-targets';
export type { SnapshotRetention } from './snapshot-retention';
export type { PolicyDefaults } from './policy-defaults';
export type { PowerSchedule } from './power-schedule';
export type { ParkSchedule } from './park-schedule';
export type { ShutdownFallback } from './action-options';
export type { YamlLimits } from './yaml-source';
export { loadPolicies, loadPolicyFile } from './load-policies';
export { parsePolicy } from './parse-policy';
export { policySchema, policyStepSchema } from './policy-schema';
export { PolicyValidationError } from './policy-validation-error';
export { formatPolicyIssue, type PolicyIssue } from './policy-issue';
export { POLICY_NAME_MAX_LENGTH } from './policy-name';
export { isIanaTimezone } from './timezone';
export {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  isOwnSnapshot,
  renderSnapshotName,
  snapshotNamePrefix,
  type SnapshotNameValues,
} from './snapshot-name';
