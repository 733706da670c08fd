import type { ClaimFields, LedgerError, LedgerRecordBase } from './ledger-record-base';

/**
 * A snapshot deleted by retention, under the tick whose snapshot triggered it. Recorded `pending`
 * before the DELETE, so that a crash in between is finished by the reconciler.
 */
export interface SnapshotDeletionRecord extends LedgerRecordBase, ClaimFields {
  readonly kind: 'snapshot-deletion';
  readonly dropletId: number;
  /** `completed` when DigitalOcean deleted it (or it was already gone); `rejected` when it refused. */
  readonly status: 'pending' | 'completed' | 'rejected';
  /** DigitalOcean returns integer ids for droplet snapshots; DELETE accepts either form. */
  readonly snapshotId: number | string;
  readonly snapshotName: string;
  /** The snapshot's `created_at`. */
  readonly snapshotCreatedAt: string;
  /** Which retention rule removed it. */
  readonly rule: 'keepLast' | 'maxAgeDays';
  /** When the DELETE was answered. */
  readonly deletedAt?: string;
  readonly lastError?: LedgerError;
}
