import type { DropletLedgerRecord } from '../../lambdas/core/ledger/ledger-record';

/**
 * One row of `audit`, in this key order, for JSON and CSV alike. Missing values are null, never
 * absent, so that every row has the same shape. A retention deletion has type
 * `snapshot-deletion`, no action id, and its deletion time as `completedAt`.
 */
export interface AuditRow {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
  readonly dropletName: string | null;
  readonly type: string;
  readonly status: string;
  readonly actionId: number | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  /** The error's message (DigitalOcean's, or ours such as a timeout), or null. */
  readonly error: string | null;
}

/** The JSON keys and the CSV header, in order. */
export const AUDIT_FIELDS = [
  'policy',
  'scheduledTime',
  'dropletId',
  'dropletName',
  'type',
  'status',
  'actionId',
  'startedAt',
  'completedAt',
  'error',
] as const satisfies readonly (keyof AuditRow)[];

export function auditRow(record: DropletLedgerRecord): AuditRow {
  if (record.kind === 'snapshot-deletion') {
    return {
      policy: record.policy,
      scheduledTime: record.scheduledTime,
      dropletId: record.dropletId,
      dropletName: null,
      type: 'snapshot-deletion',
      status: record.status,
      actionId: null,
      startedAt: null,
      completedAt: record.deletedAt ?? null,
      error: record.lastError?.message ?? null,
    };
  }
  return {
    policy: record.policy,
    scheduledTime: record.scheduledTime,
    dropletId: record.dropletId,
    dropletName: record.dropletName ?? null,
    type: record.type,
    status: record.status,
    actionId: record.actionId ?? null,
    startedAt: record.startedAt ?? null,
    completedAt: record.completedAt ?? null,
    error: record.lastError?.message ?? null,
  };
}
