import { formatOverrideId } from '../../lambdas/core/ledger/override-record';
import type { AuditEntry } from '../../lambdas/core/use-cases/read-audit';

/**
 * One row of `audit`, in this key order, for JSON and CSV alike. Missing values are null, never
 * absent, so that every row has the same shape. A retention deletion has type
 * `snapshot-deletion`, no action id, the snapshot it deleted, and its deletion time as
 * `completedAt`. A skipped tick (a skip date, a tag with no droplets) is one row for the whole
 * tick, with no droplet.
 */
export interface AuditRow {
  readonly policy: string;
  readonly scheduledTime: string;
  /** Null for a skipped tick: it concerned no droplet in particular. */
  readonly dropletId: number | null;
  /** The name the ledger recorded for the droplet, on this item or another one of the droplet. */
  readonly dropletName: string | null;
  readonly type: string;
  readonly status: string;
  readonly actionId: number | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  /** The error's message (DigitalOcean's, or ours such as a timeout), or null. */
  readonly error: string | null;
  /** Why it was skipped, or null. */
  readonly reason: string | null;
  /** For a follow-up (the `power_off` after a timed-out `shutdown`): the action it follows. */
  readonly parentActionId: number | null;
  /** For a snapshot deletion: the snapshot deleted. */
  readonly snapshotId: number | string | null;
  readonly snapshotName: string | null;
  /**
   * The droplet's stable identity when it was ever parked (the id it had when first parked): its
   * rows under every later id share it. Null for a droplet never parked.
   */
  readonly lineageId: number | null;
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
  'reason',
  'parentActionId',
  'snapshotId',
  'snapshotName',
  'lineageId',
] as const satisfies readonly (keyof AuditRow)[];

const NO_ACTION_FIELDS = {
  actionId: null,
  startedAt: null,
  parentActionId: null,
  snapshotId: null,
  snapshotName: null,
} as const;

export function auditRow(entry: AuditEntry): AuditRow {
  return { ...rowOf(entry), lineageId: entry.lineageId ?? null };
}

function rowOf({
  record,
  dropletName,
  skippedByOverride,
  overrideState,
}: AuditEntry): Omit<AuditRow, 'lineageId'> {
  switch (record.kind) {
    case 'override':
      // A snooze: written at startedAt, over at completedAt (cancelled, or its until); type snooze.
      return {
        ...NO_ACTION_FIELDS,
        policy: record.policy,
        scheduledTime: record.claimedAt,
        dropletId: record.dropletId ?? null,
        dropletName: dropletName ?? null,
        type: 'snooze',
        status: overrideState ?? record.status,
        startedAt: record.claimedAt,
        completedAt: record.cancelledAt ?? record.until,
        error: null,
        reason: overrideText(record, skippedByOverride),
      };
    case 'run':
      return {
        ...NO_ACTION_FIELDS,
        policy: record.policy,
        scheduledTime: record.scheduledTime,
        dropletId: null,
        dropletName: null,
        type: record.type,
        status: record.status,
        completedAt: null,
        error: null,
        reason: record.reason ?? null,
      };
    case 'snapshot-deletion':
      return {
        ...NO_ACTION_FIELDS,
        policy: record.policy,
        scheduledTime: record.scheduledTime,
        dropletId: record.dropletId,
        dropletName: dropletName ?? null,
        type: 'snapshot-deletion',
        status: record.status,
        completedAt: record.deletedAt ?? null,
        error: record.lastError?.message ?? null,
        reason: null,
        snapshotId: record.snapshotId,
        snapshotName: record.snapshotName,
      };
    case 'action':
      return {
        policy: record.policy,
        scheduledTime: record.scheduledTime,
        dropletId: record.dropletId,
        dropletName: dropletName ?? null,
        type: record.type,
        status: record.status,
        actionId: record.actionId ?? null,
        startedAt: record.startedAt ?? null,
        completedAt: record.completedAt ?? null,
        error: record.lastError?.message ?? null,
        reason: record.reason ?? null,
        parentActionId: record.parentActionId ?? null,
        snapshotId: null,
        snapshotName: null,
      };
  }
}

/** What an override's row says: its id, its until, why, and how many rows shown it skipped. */
function overrideText(record: Extract<AuditEntry['record'], { kind: 'override' }>, skipped?: number): string {
  const why = record.reason ? `: ${JSON.stringify(record.reason)}` : '';
  const count = skipped === undefined ? '' : `; ${skipped} skipped row${skipped === 1 ? '' : 's'} shown`;
  const ended = record.cancelledAt ? `, cancelled ${record.cancelledAt}` : '';
  return `override ${formatOverrideId(record)} until ${record.until}${ended}${why}${count}`;
}

/** Why a row has no droplet name, for the NAME column; undefined when it has one. */
export function missingNameReason({ record, dropletName, parent }: AuditEntry): string | undefined {
  if (dropletName !== undefined || record.kind === 'run' || record.kind === 'override') return undefined;
  const mode =
    record.kind === 'action' ? (record.parentActionId === undefined ? record.mode : parent?.mode) : undefined;
  if (mode === 'bulk') return '(bulk)';
  if (mode === 'per-droplet') return '(by id)';
  return '(not recorded)';
}

/**
 * What the ERROR / REASON column says: what the row is about when the other columns cannot say it
 * (a whole tick, the snapshot deleted, the action a follow-up follows), then the error, or the
 * reason in parentheses.
 */
export function auditDetails(entry: AuditEntry): string {
  const { record, parent } = entry;
  if (record.kind === 'override') return overrideText(record, entry.skippedByOverride);
  let about = '';
  if (record.kind === 'run') about = 'whole tick';
  if (record.kind === 'snapshot-deletion')
    about = `snapshot ${record.snapshotName} (id ${String(record.snapshotId)})`;
  if (record.kind === 'action' && record.parentActionId !== undefined)
    about = parent
      ? `follows ${parent.type} action ${record.parentActionId} (${parent.status})`
      : `follows action ${record.parentActionId}`;
  const error = record.kind === 'run' ? undefined : record.lastError?.message;
  const reason = record.kind === 'snapshot-deletion' ? undefined : record.reason;
  const text = error
    ? [about, error].filter(Boolean).join(': ')
    : [about, reason ? `(${reason})` : ''].filter(Boolean).join(' ');
  return text.replace(/\s+/g, ' ');
}
