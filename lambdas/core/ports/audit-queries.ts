import type { DropletLedgerRecord, LedgerRecord } from '../ledger/ledger-record';
import type { LineageRecord } from '../ledger/lineage-record';
import type { LedgerStatus } from '../ledger/ledger-status';
import type { OverrideRecord } from '../ledger/override-record';
import type { Page, PageOptions } from './ledger-store';

/** Both ends included; ISO 8601. */
export interface TimeRange {
  /** @default the beginning */
  readonly from?: string;
  /** @default the end */
  readonly to?: string;
}

/**
 * The questions an operator asks the ledger (and the few the use cases ask of a droplet's
 * history). Every query is a DynamoDB `Query` (never a `Scan`) and pages with an opaque cursor.
 */
export interface AuditQueries {
  /** A droplet's actions and snapshot deletions, oldest first, by when the ledger first recorded them. */
  queryByDroplet(dropletId: number, options?: TimeRange & PageOptions): Promise<Page<DropletLedgerRecord>>;

  /** Everything a policy did in the ticks from `from` to `to`, in order of tick, then droplet. */
  queryByPolicy(policy: string, options?: TimeRange & PageOptions): Promise<Page<LedgerRecord>>;

  /** Action and deletion items in `status` last updated between `from` and `to`, oldest first. */
  queryByStatus(
    status: LedgerStatus,
    options: Required<TimeRange> & PageOptions,
  ): Promise<Page<DropletLedgerRecord>>;

  /** Every droplet lineage (droplets parked at least once), by lineage id. */
  queryLineages(options?: PageOptions): Promise<Page<LineageRecord>>;

  /**
   * A policy's overrides (snoozes), cancelled ones included, in order of `until`. With
   * `expiringAfter`, only those whose `until` is at or after it: the ones that may still apply to a
   * tick at that time, read with one narrow query. Strongly consistent, so that a snooze written a
   * moment before a tick is seen by its dispatch.
   */
  queryOverrides(
    policy: string,
    options?: { readonly expiringAfter?: string } & PageOptions,
  ): Promise<Page<OverrideRecord>>;
}

/** A ledger as the runtimes build it: the state machine's store and the audit queries, over one table. */
export type ActionLedger = import('./ledger-store').LedgerStore & AuditQueries;
