/**
 * AWS list prices (us-east-1, on-demand, as published in 2025; check the pricing pages before
 * relying on them) that the cost figures multiply measured counts by. docs/deploy.md uses the same.
 */
export const AWS_LIST_PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  sqsRequest: 0.4 / 1e6,
  putEventsEvent: 1 / 1e6,
  schedulerInvocation: 1 / 1e6,
  alarmMonth: 0.1,
  dashboardMonth: 3,
  customMetricMonth: 0.3,
  secretMonth: 0.4,
  logsIngestedGb: 0.5,
} as const;

/**
 * Write units per ledger write, from the item layout: about 1 KB items, one unit in the table plus
 * one in each index the item is on, two where a write moves the item within an index (a status
 * change moves it in `by-status`; leaving or joining `open` is one more).
 */
export const WRITE_UNITS: Record<string, number> = {
  claimRun: 2,
  updateRun: 2,
  claimAction: 4,
  recordTerminalWithoutAction: 5,
  markStarted: 6,
  retryClaim: 4,
  reschedule: 6,
  markTerminal: 5,
  recordSnapshotDeletion: 3,
  recordBulkActions: 4,
};
