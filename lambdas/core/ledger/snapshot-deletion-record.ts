import type { LedgerError, LedgerRecordBase } from './ledger-record-base';

/**
 * A snapshot deleted by retention, under the tick whose snapshot triggered it:
 * `sk = RUN#<t>#DROPLET#<id>#DELETED#<snapshotId>`. Written once.
 */
export interface SnapshotDeletionRecord extends LedgerRecordBase {
  readonly kind: 'snapshot-deletion';
  readonly dropletId: number;
  /** `completed` when DigitalOcean deleted it (or it was already gone), otherwise `errored` or `rejected`. */
  readonly status: 'completed' | 'errored' | 'rejected';
  /** DigitalOcean returns integer ids for droplet snapshots; DELETE accepts either form. */
  readonly snapshotId: number | string;
  readonly snapshotName: string;
  /** The snapshot's `created_at`. */
  readonly snapshotCreatedAt: string;
  /** When the DELETE was answered. */
  readonly deletedAt: string;
  readonly lastError?: LedgerError;
}
