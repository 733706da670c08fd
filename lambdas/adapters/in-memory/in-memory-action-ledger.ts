import { ConfigurationError } from '../../core/errors/configuration-error';
import { ledgerInputError } from '../../core/ledger/ledger-input-error';
import { describeItem, idOf, ownerId, type ItemId } from '../../core/ledger/item-id';
import {
  keptForGood,
  type DropletLedgerRecord,
  type LedgerItem,
  type LedgerRecord,
} from '../../core/ledger/ledger-record';
import type { LineageRecord } from '../../core/ledger/lineage-record';
import type { OverrideRecord } from '../../core/ledger/override-record';
import type { LedgerStatus } from '../../core/ledger/ledger-status';
import { expiresAtFor, monthsBetween, toLedgerTime } from '../../core/ledger/ledger-time';
import { pageLimit } from '../../core/ledger/page-limit';
import { formatTeamScope, teamScopeFilter } from '../../core/ledger/team-scope';
import type { ActionLedger, TimeRange } from '../../core/ports/audit-queries';
import type {
  ActionOwner,
  CreateResult,
  OpenDueOptions,
  Page,
  PageOptions,
  PutResult,
} from '../../core/ports/ledger-store';

export interface InMemoryActionLedgerOptions {
  /**
   * Days until `expiresAt`; kept for parity with DynamoDB, nothing is ever deleted here.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Milliseconds since the epoch, for the TTL of new items.
   * @default Date.now
   */
  readonly now?: () => number;
}

/**
 * The ledger in one process's memory, with the DynamoDB adapter's semantics: each conditional
 * write checks and writes without an `await` in between, so it is atomic on the event loop; the
 * same orders and the same page contract. Records are copied in and out.
 */
export class InMemoryActionLedger implements ActionLedger {
  private readonly items = new Map<string, LedgerItem>();
  private readonly owners = new Map<number, ItemId>();
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

  async get(id: ItemId): Promise<LedgerItem | undefined> {
    return this.read(storageKey(id));
  }

  async create(record: LedgerItem): Promise<CreateResult<LedgerItem>> {
    const key = storageKey(idOf(record));
    const existing = this.read(key);
    if (existing !== undefined) return { created: false, existing };
    const stored = keptForGood(record)
      ? record
      : { ...record, expiresAt: record.expiresAt ?? expiresAtFor(this.now(), this.auditRetentionDays) };
    return { created: true, item: this.write(key, stored) };
  }

  async put(record: LedgerItem, expectedVersion: number): Promise<PutResult> {
    const key = storageKey(idOf(record));
    const current = this.read(key);
    if (current?.version !== expectedVersion) return { written: false, current };
    return { written: true, item: this.write(key, record) };
  }

  async claimActionOwner(claim: ActionOwner): Promise<ActionOwner> {
    ownerId(claim.actionId);
    const owner = this.owners.get(claim.actionId);
    if (owner !== undefined) return { actionId: claim.actionId, owner: structuredClone(owner) };
    this.owners.set(claim.actionId, structuredClone(claim.owner));
    return claim;
  }

  async findOpenDue(now: string, options?: OpenDueOptions): Promise<Page<LedgerRecord>> {
    const due = toLedgerTime(now, 'now');
    const inScope = teamScopeFilter(options?.teams);
    const scope = `open|${due}|${formatTeamScope(options?.teams)}`;
    const matches = this.select((record) =>
      record.dueAt !== undefined && record.dueAt <= due && inScope(record.team) ? record.dueAt : undefined,
    );
    return this.page(scope, matches, options) as Page<LedgerRecord>;
  }

  async queryByDroplet(
    dropletId: number,
    options: TimeRange & PageOptions = {},
  ): Promise<Page<DropletLedgerRecord>> {
    if (!Number.isSafeInteger(dropletId) || dropletId <= 0) {
      throw ledgerInputError('dropletId', dropletId, 'a positive integer droplet id');
    }
    const from = options.from === undefined ? '' : toLedgerTime(options.from, 'from');
    const to = options.to === undefined ? '~' : toLedgerTime(options.to, 'to');
    const matches = this.select((record) =>
      isDropletRecord(record) &&
      record.dropletId === dropletId &&
      record.claimedAt >= from &&
      record.claimedAt <= to
        ? record.claimedAt
        : undefined,
    );
    return this.page(`by-droplet|${dropletId}|${from}|${to}`, matches, options) as Page<DropletLedgerRecord>;
  }

  async queryByPolicy(policy: string, options: TimeRange & PageOptions = {}): Promise<Page<LedgerRecord>> {
    if (typeof policy !== 'string' || policy.length === 0) {
      throw ledgerInputError('policy', policy, 'a non-empty policy name');
    }
    const from = options.from === undefined ? '' : toLedgerTime(options.from, 'from');
    const to = options.to === undefined ? '~' : toLedgerTime(options.to, 'to');
    const matches = this.select((record) =>
      !keptForGood(record) &&
      record.policy === policy &&
      record.scheduledTime >= from &&
      record.scheduledTime <= to
        ? ''
        : undefined,
    );
    return this.page(`by-policy|${policy}|${from}|${to}`, matches, options) as Page<LedgerRecord>;
  }

  async queryOverrides(
    policy: string,
    options: { readonly expiringAfter?: string } & PageOptions = {},
  ): Promise<Page<OverrideRecord>> {
    if (typeof policy !== 'string' || policy.length === 0) {
      throw ledgerInputError('policy', policy, 'a non-empty policy name');
    }
    const after =
      options.expiringAfter === undefined ? '' : toLedgerTime(options.expiringAfter, 'expiringAfter');
    const matches = this.select<OverrideRecord>(
      (record) => (record.policy === policy && record.until >= after ? record.until : undefined),
      true,
    );
    return this.page(`overrides|${policy}|${after}`, matches, options) as Page<OverrideRecord>;
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
      isDropletRecord(record) &&
      record.status === status &&
      record.updatedAt >= from &&
      record.updatedAt <= to
        ? record.updatedAt
        : undefined,
    );
    return this.page(`by-status|${status}|${from}|${to}`, matches, options) as Page<DropletLedgerRecord>;
  }

  async queryLineages(options: PageOptions = {}): Promise<Page<LineageRecord>> {
    const matches = this.select((record) =>
      record.kind === 'lineage' ? String(record.lineageId).padStart(20, '0') : undefined,
    );
    return this.page('lineages', matches, options) as Page<LineageRecord>;
  }

  private read(key: string): LedgerItem | undefined {
    const record = this.items.get(key);
    return record === undefined ? undefined : structuredClone(record);
  }

  private write<T extends LedgerItem>(key: string, record: T): T {
    this.items.set(key, structuredClone(record));
    return structuredClone(record);
  }

  /**
   * Every record an index would hold, in index order: by its sort value, then by the item's place in
   * its policy (tick, droplet, step), as DynamoDB orders a policy's partition.
   */
  private select<T extends LedgerItem = LedgerRecord>(
    sortValueOf: (record: T) => string | undefined,
    overrides = false,
  ): Entry[] {
    const entries: Entry[] = [];
    for (const record of this.items.values()) {
      // Overrides live outside the tick indexes, as in DynamoDB (see ledger-layout.ts).
      if ((record.kind === 'override') !== overrides) continue;
      const sortValue = sortValueOf(record as T);
      if (sortValue !== undefined) entries.push({ sortValue, order: orderOf(record), record });
    }
    return entries.sort(compareEntries);
  }

  private page(scope: string, entries: Entry[], options: PageOptions | undefined): Page<LedgerItem> {
    const limit = pageLimit(options);
    const after = options?.cursor === undefined ? undefined : decodeCursor(options.cursor, scope);
    const start = after === undefined ? 0 : entries.findIndex((entry) => compareEntries(entry, after) > 0);
    const selected = start === -1 ? [] : entries.slice(start, start + limit);
    const items = selected.map((entry) => structuredClone(entry.record));
    const last = selected.at(-1);
    if (last === undefined || start + limit >= entries.length) return { items };
    const position = { scope, sortValue: last.sortValue, order: last.order };
    return { items, cursor: Buffer.from(JSON.stringify(position)).toString('base64url') };
  }
}

interface Position {
  readonly sortValue: string;
  readonly order: string;
}

interface Entry extends Position {
  readonly record: LedgerItem;
}

function storageKey(id: ItemId): string {
  return `${id.kind}\n${describeItem(id)}`;
}

/**
 * Where a record sorts in its policy, as DynamoDB sorts the partition's keys: by tick, the run
 * first, then droplet ids as text, each droplet's action before its deletions before its steps.
 */
function orderOf(record: LedgerItem): string {
  if (record.kind === 'override') return `${record.policy}\n${record.until}#${record.key}`;
  const droplet = record.kind === 'run' ? '' : `#${record.dropletId}`;
  const part =
    record.kind === 'action' && record.step
      ? `#S${record.step}`
      : record.kind === 'snapshot-deletion'
        ? `#D${String(record.snapshotId)}`
        : '';
  return `${record.policy}\n${record.scheduledTime}${droplet}${part}`;
}

function compareEntries(left: Position, right: Position): number {
  return compareStrings(left.sortValue, right.sortValue) || compareStrings(left.order, right.order);
}

function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Reads a cursor back (the last entry returned), refusing one made for another query. */
function decodeCursor(cursor: string, scope: string): Position {
  const expected = `a cursor returned by the same query (${scope})`;
  let document: { scope?: unknown; sortValue?: unknown; order?: unknown };
  try {
    document = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof document;
  } catch {
    throw ledgerInputError('cursor', cursor, expected);
  }
  if (
    document?.scope !== scope ||
    typeof document.sortValue !== 'string' ||
    typeof document.order !== 'string'
  ) {
    throw ledgerInputError('cursor', cursor, expected);
  }
  return { sortValue: document.sortValue, order: document.order };
}

function isDropletRecord(record: LedgerRecord): record is DropletLedgerRecord {
  return record.kind === 'action' || record.kind === 'snapshot-deletion';
}
