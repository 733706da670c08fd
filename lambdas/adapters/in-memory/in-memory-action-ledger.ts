import { ConfigurationError } from '../../core/errors/configuration-error';
import { LedgerConflictError } from '../../core/errors/ledger-conflict-error';
import type { ActionRecord } from '../../core/ledger/action-record';
import {
  bulkActionRecords,
  newActionRecord,
  newRunRecord,
  newSnapshotDeletionRecord,
  terminalWithoutActionRecord,
  type WriteStamp,
} from '../../core/ledger/build-ledger-records';
import { describeLedgerState } from '../../core/ledger/describe-ledger-state';
import { decodeLedgerCursor, encodeLedgerCursor } from '../../core/ledger/ledger-cursor';
import { dropletPartitionKey, policyPartitionKey, policySortKeyRange } from '../../core/ledger/ledger-keys';
import type { DropletLedgerRecord, LedgerRecord } from '../../core/ledger/ledger-record';
import type { LedgerKey } from '../../core/ledger/ledger-record-base';
import { isOpen, type LedgerStatus } from '../../core/ledger/ledger-status';
import { expiresAtFor, monthsBetween, toLedgerTime } from '../../core/ledger/ledger-time';
import { pageLimit } from '../../core/ledger/page-limit';
import type { RunRecord, RunStatus } from '../../core/ledger/run-record';
import type { SnapshotDeletionRecord } from '../../core/ledger/snapshot-deletion-record';
import type {
  ClaimVersion,
  ActionDescription,
  ActionLedger,
  BulkActions,
  ClaimResult,
  NewAction,
  NewRun,
  NewSnapshotDeletion,
  Page,
  PageOptions,
  RecordResult,
  RescheduleChanges,
  RetryChanges,
  RunChanges,
  StartedChanges,
  TerminalChanges,
  TerminalWithoutAction,
  TimeRange,
  TransitionResult,
} from '../../core/ports/action-ledger';

export interface InMemoryActionLedgerOptions {
  /**
   * Days until `expiresAt`; kept for parity with DynamoDB, nothing is ever deleted here.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Milliseconds since the epoch; injectable so that tests and time-scaled runs control it.
   * @default Date.now
   */
  readonly now?: () => number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The `ActionLedger` in one process's memory, with the DynamoDB adapter's semantics: the same
 * conditions (each check-and-write runs without an `await` in between, so it is atomic on the
 * event loop), the same ordering and the same page contract. Records are copied in and out.
 */
export class InMemoryActionLedger implements ActionLedger {
  private readonly items = new Map<string, LedgerRecord>();
  private readonly auditRetentionDays: number;
  private readonly now: () => number;

  constructor(options: InMemoryActionLedgerOptions = {}) {
    this.auditRetentionDays = options.auditRetentionDays ?? 400;
    if (!(this.auditRetentionDays > 0)) {
      throw new ConfigurationError(
        `auditRetentionDays: expected a positive number, got: ${this.auditRetentionDays}`,
      );
    }
    this.now = options.now ?? Date.now;
  }

  /** Items held, of every kind. */
  get size(): number {
    return this.items.size;
  }

  async claimRun(run: NewRun): Promise<ClaimResult<RunRecord>> {
    const record = newRunRecord(run, this.stamp());
    const existing = this.read(record);
    if (existing !== undefined) return { claimed: false, existing: existing as RunRecord };
    return { claimed: true, record: this.write(record) };
  }

  async updateRun(
    key: LedgerKey,
    changes: RunChanges,
    options: { readonly expectedStatus?: RunStatus; readonly expectedDueAt?: string } = {},
  ): Promise<RunRecord> {
    const existing = this.read(key);
    if (
      existing?.kind !== 'run' ||
      (options.expectedStatus !== undefined && existing.status !== options.expectedStatus) ||
      (options.expectedDueAt !== undefined &&
        existing.dueAt !== toLedgerTime(options.expectedDueAt, 'expectedDueAt'))
    ) {
      const expected = [
        'a run item',
        options.expectedStatus === undefined ? '' : ` with status ${options.expectedStatus}`,
        options.expectedDueAt === undefined ? '' : ` due at ${options.expectedDueAt}`,
      ].join('');
      throw new LedgerConflictError({
        operation: 'updateRun',
        key,
        expected,
        found: describeLedgerState(existing),
      });
    }
    const dueAt = changes.dueAt === undefined ? undefined : toLedgerTime(changes.dueAt, 'dueAt');
    const updated: RunRecord = {
      ...existing,
      ...compact({ ...changes, dueAt }),
      updatedAt: this.stamp().now,
    };
    // A run that moves on from `dispatching` is no longer the reconciler's business.
    if (updated.status !== 'dispatching') delete (updated as { dueAt?: string }).dueAt;
    return this.write(updated);
  }

  async claimAction(action: NewAction): Promise<ClaimResult<ActionRecord>> {
    const record = newActionRecord(action, this.stamp());
    const existing = this.read(record);
    if (existing !== undefined) return { claimed: false, existing: existing as ActionRecord };
    return { claimed: true, record: this.write(record) };
  }

  async recordTerminalWithoutAction(
    action: ActionDescription,
    outcome: TerminalWithoutAction,
  ): Promise<RecordResult<ActionRecord>> {
    const record = terminalWithoutActionRecord(action, outcome, this.stamp());
    const existing = this.read(record);
    if (existing === undefined) return { recorded: true, record: this.write(record) };
    if (existing.status !== 'pending') return { recorded: false, existing: existing as ActionRecord };
    // A `pending` claim keeps what its first write set: claimedAt, attempts and TTL.
    const merged: Mutable<ActionRecord> = {
      ...(existing as ActionRecord),
      ...record,
      claimedAt: existing.claimedAt,
      attempts: (existing as ActionRecord).attempts,
      expiresAt: existing.expiresAt,
    };
    delete merged.dueAt;
    return { recorded: true, record: this.write(merged) };
  }

  async markStarted(key: LedgerKey, changes: StartedChanges): Promise<ActionRecord> {
    const existing = this.pendingWithAttempts('markStarted', key, changes.expectedAttempts);
    return this.write({
      ...existing,
      ...compact({
        status: 'in-progress' as const,
        actionId: changes.actionId,
        startedAt: toLedgerTime(changes.startedAt, 'startedAt'),
        dueAt: toLedgerTime(changes.dueAt, 'dueAt'),
        timeoutAt: changes.timeoutAt === undefined ? undefined : toLedgerTime(changes.timeoutAt, 'timeoutAt'),
        region: changes.region,
        updatedAt: this.stamp().now,
      }),
    });
  }

  async retryClaim(key: LedgerKey, changes: RetryChanges): Promise<ActionRecord> {
    const existing = this.pendingWithAttempts('retryClaim', key, changes.expectedAttempts);
    const { now } = this.stamp();
    return this.write({
      ...existing,
      attempts: existing.attempts + 1,
      dueAt: toLedgerTime(changes.dueAt, 'dueAt'),
      sendingAt: now,
      updatedAt: now,
    });
  }

  async reschedule(key: LedgerKey, changes: RescheduleChanges): Promise<ActionRecord> {
    const dueAt = toLedgerTime(changes.dueAt, 'dueAt');
    const timeoutAt =
      changes.timeoutAt === undefined ? undefined : toLedgerTime(changes.timeoutAt, 'timeoutAt');
    const sendingAt =
      changes.sendingAt === undefined ? undefined : toLedgerTime(changes.sendingAt, 'sendingAt');
    const existing = this.read(key);
    const attemptsMoved =
      changes.expectedAttempts !== undefined &&
      existing?.kind === 'action' &&
      existing.attempts !== changes.expectedAttempts;
    const claimMoved =
      changes.expectedClaim !== undefined &&
      existing?.kind === 'action' &&
      !claimUnchanged(existing, changes.expectedClaim);
    if (
      existing?.kind !== 'action' ||
      existing.status !== changes.expectedStatus ||
      attemptsMoved ||
      claimMoved
    ) {
      const expected = [
        `status ${changes.expectedStatus}`,
        changes.expectedAttempts === undefined ? '' : ` and attempts ${changes.expectedAttempts}`,
        changes.expectedClaim === undefined
          ? ''
          : ` and the claim unchanged since attempt ${changes.expectedClaim.attempts}`,
      ].join('');
      throw new LedgerConflictError({
        operation: 'reschedule',
        key,
        expected,
        found: describeLedgerState(existing),
      });
    }
    return this.write({
      ...existing,
      ...compact({ dueAt, timeoutAt, sendingAt }),
      checks: (existing.checks ?? 0) + 1,
      updatedAt: this.stamp().now,
    });
  }

  async markTerminal(key: LedgerKey, changes: TerminalChanges): Promise<TransitionResult> {
    const { now } = this.stamp();
    const completedAt = toLedgerTime(changes.completedAt ?? now, 'completedAt');
    const startedAt =
      changes.startedAt === undefined ? undefined : toLedgerTime(changes.startedAt, 'startedAt');
    const existing = this.read(key);
    if (existing?.kind !== 'action') {
      throw new LedgerConflictError({
        operation: 'markTerminal',
        key,
        expected: 'an action item',
        found: describeLedgerState(existing),
      });
    }
    if (!isOpen(existing.status)) return { transitioned: false, existing };
    if (changes.expectedClaim !== undefined && !claimUnchanged(existing, changes.expectedClaim))
      return { transitioned: false, existing };
    const updated: Mutable<ActionRecord> = {
      ...existing,
      ...compact({
        status: changes.status,
        completedAt,
        lastError: changes.error,
        reason: changes.reason,
        actionId: changes.actionId,
        startedAt,
        updatedAt: now,
      }),
    };
    delete updated.dueAt;
    return { transitioned: true, record: this.write(updated) };
  }

  async recordBulkActions(
    bulk: BulkActions,
  ): Promise<{ recorded: ActionRecord[]; alreadyPresent: LedgerKey[] }> {
    const recorded: ActionRecord[] = [];
    const alreadyPresent: LedgerKey[] = [];
    for (const record of bulkActionRecords(bulk, this.stamp())) {
      if (this.read(record) === undefined) recorded.push(this.write(record));
      else alreadyPresent.push({ pk: record.pk, sk: record.sk });
    }
    return { recorded, alreadyPresent };
  }

  async recordSnapshotDeletion(deletion: NewSnapshotDeletion): Promise<RecordResult<SnapshotDeletionRecord>> {
    const record = newSnapshotDeletionRecord(deletion, this.stamp());
    const existing = this.read(record);
    if (existing !== undefined) return { recorded: false, existing: existing as SnapshotDeletionRecord };
    return { recorded: true, record: this.write(record) };
  }

  async get(key: LedgerKey): Promise<LedgerRecord | undefined> {
    return this.read(key);
  }

  async findOpenDue(now: string, options?: PageOptions): Promise<Page<ActionRecord>> {
    const due = toLedgerTime(now, 'now');
    const matches = this.select((record) =>
      record.kind === 'action' && isOpen(record.status) && record.dueAt !== undefined && record.dueAt <= due
        ? record.dueAt
        : undefined,
    );
    return this.page('open', matches, options) as Page<ActionRecord>;
  }

  async findAbandonedRuns(now: string, options?: PageOptions): Promise<Page<RunRecord>> {
    const due = toLedgerTime(now, 'now');
    const matches = this.select((record) =>
      record.kind === 'run' &&
      record.status === 'dispatching' &&
      record.dueAt !== undefined &&
      record.dueAt <= due
        ? record.dueAt
        : undefined,
    );
    return this.page('open-run', matches, options) as Page<RunRecord>;
  }

  async queryByDroplet(
    dropletId: number,
    options: TimeRange & PageOptions = {},
  ): Promise<Page<DropletLedgerRecord>> {
    dropletPartitionKey(dropletId);
    const from = options.from === undefined ? '' : toLedgerTime(options.from, 'from');
    const to = options.to === undefined ? '~' : toLedgerTime(options.to, 'to');
    const matches = this.select((record) =>
      record.kind !== 'run' &&
      record.dropletId === dropletId &&
      record.claimedAt >= from &&
      record.claimedAt <= to
        ? record.claimedAt
        : undefined,
    );
    return this.page(`by-droplet|${dropletId}|${from}|${to}`, matches, options) as Page<DropletLedgerRecord>;
  }

  async queryByPolicy(policy: string, options: TimeRange & PageOptions = {}): Promise<Page<LedgerRecord>> {
    const pk = policyPartitionKey(policy);
    const { lower, upper } = policySortKeyRange(options.from, options.to);
    const matches = this.select((record) =>
      record.pk === pk && record.sk >= lower && record.sk <= upper ? record.sk : undefined,
    );
    return this.page(`by-policy|${policy}|${lower}|${upper}`, matches, options);
  }

  async queryByStatus(
    status: LedgerStatus,
    options: Required<TimeRange> & PageOptions,
  ): Promise<Page<DropletLedgerRecord>> {
    const from = toLedgerTime(options.from, 'from');
    const to = toLedgerTime(options.to, 'to');
    // Not needed to find the items here, but it refuses the same over-wide ranges as DynamoDB.
    if (from <= to) monthsBetween(from, to);
    const matches = this.select((record) =>
      record.kind !== 'run' && record.status === status && record.updatedAt >= from && record.updatedAt <= to
        ? record.updatedAt
        : undefined,
    );
    return this.page(`by-status|${status}|${from}|${to}`, matches, options) as Page<DropletLedgerRecord>;
  }

  private stamp(): WriteStamp {
    const nowMs = this.now();
    return { now: toLedgerTime(nowMs, 'now()'), expiresAt: expiresAtFor(nowMs, this.auditRetentionDays) };
  }

  private read(key: LedgerKey): LedgerRecord | undefined {
    const record = this.items.get(storageKey(key));
    return record === undefined ? undefined : structuredClone(record);
  }

  private write<T extends LedgerRecord>(record: T): T {
    this.items.set(storageKey(record), structuredClone(record));
    return structuredClone(record);
  }

  private pendingWithAttempts(operation: string, key: LedgerKey, expectedAttempts: number): ActionRecord {
    const existing = this.read(key);
    if (
      existing?.kind !== 'action' ||
      existing.status !== 'pending' ||
      existing.attempts !== expectedAttempts
    ) {
      throw new LedgerConflictError({
        operation,
        key,
        expected: `status pending and attempts ${expectedAttempts}`,
        found: describeLedgerState(existing),
      });
    }
    return existing;
  }

  /** Every record the index would hold, with its index sort value, in index order. */
  private select(sortValueOf: (record: LedgerRecord) => string | undefined): Entry[] {
    const entries: Entry[] = [];
    for (const record of this.items.values()) {
      const sortValue = sortValueOf(record);
      if (sortValue !== undefined) entries.push({ sortValue, record });
    }
    return entries.sort(compareEntries);
  }

  private page(scope: string, entries: Entry[], options: PageOptions | undefined): Page<LedgerRecord> {
    const limit = pageLimit(options);
    const after = options?.cursor === undefined ? undefined : decodeLedgerCursor(options.cursor, scope).after;
    const start =
      after === undefined
        ? 0
        : entries.findIndex(
            (entry) =>
              compareEntries(entry, {
                sortValue: String(after.sortValue),
                record: { pk: String(after.pk), sk: String(after.sk) } as LedgerRecord,
              }) > 0,
          );
    const selected = start === -1 ? [] : entries.slice(start, start + limit);
    const items = selected.map((entry) => structuredClone(entry.record));
    const last = selected.at(-1);
    if (last === undefined || start + limit >= entries.length) return { items };
    const position = { sortValue: last.sortValue, pk: last.record.pk, sk: last.record.sk };
    return { items, cursor: encodeLedgerCursor({ scope, partition: 0, after: position }) };
  }
}

interface Entry {
  readonly sortValue: string;
  readonly record: LedgerRecord;
}

function compareEntries(left: Entry, right: Entry): number {
  return (
    compareStrings(left.sortValue, right.sortValue) ||
    compareStrings(left.record.pk, right.record.pk) ||
    compareStrings(left.record.sk, right.record.sk)
  );
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function storageKey(key: LedgerKey): string {
  return `${key.pk}\n${key.sk}`;
}

/** Drops undefined fields so that an absent change leaves the stored value alone, as an UpdateItem would. */
function compact<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** No new attempt and no new send stamp since the claim was read as `claim`. */
function claimUnchanged(record: ActionRecord, claim: ClaimVersion): boolean {
  const stamped = claim.sendingAt === undefined ? undefined : toLedgerTime(claim.sendingAt, 'sendingAt');
  return record.attempts === claim.attempts && record.sendingAt === stamped;
}
