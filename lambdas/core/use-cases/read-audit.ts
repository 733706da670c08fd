import { DEFAULT_TEAM } from '../policy/team-name';
import type { ActionRecord } from '../ledger/action-record';
import type { DropletLedgerRecord, LedgerRecord } from '../ledger/ledger-record';
import { LEDGER_STATUSES, type LedgerStatus } from '../ledger/ledger-status';
import type { RunRecord } from '../ledger/run-record';
import { formatOverrideId, type OverrideRecord } from '../ledger/override-record';
import type { Page } from '../ports/ledger-store';
import { actionId, describeItem, idOf } from '../ledger/item-id';
import type { AuditQueries } from '../ports/audit-queries';
import type { LineageRecord } from '../ledger/lineage-record';

/** Items per ledger query page: large pages, few round trips. */
const PAGE_SIZE = 500;

/** Droplets whose name is looked up in their own index partition, at most, per audit. */
const NAME_LOOKUPS = 20;

/**
 * How far before `from` a skipped tick is looked for when the question is "what changed between
 * `from` and `to`": a tick is recorded when it is dispatched, and EventBridge delivers a tick up to
 * a day late. Ticks dispatched by hand for a time further back are found with `policy`.
 */
const LATE_TICK_MS = 86_400_000;

/** The question an audit asks, every field already checked. */
export interface AuditQuery {
  /** One droplet: with its whole lineage when it was ever parked (every id it has had). */
  readonly dropletId?: number;
  /** A droplet by name, found through its lineage (droplets parked at least once). */
  readonly dropletName?: string;
  readonly policy?: string;
  /**
   * Only items of this team's policies (`DEFAULT_TEAM` for policies naming none).
   * @default every team
   */
  readonly team?: string;
  /** Any of these; absent means any status. */
  readonly statuses?: readonly LedgerStatus[];
  /** ISO 8601, included. */
  readonly from: string;
  /** ISO 8601, included. */
  readonly to: string;
  readonly limit: number;
  readonly includeDeletions: boolean;
  /**
   * Policies whose skipped ticks to look for besides `policy` and the policies with other rows in
   * range (the names in the policy file). A skipped tick is a run item, kept only in its policy's
   * partition: no index lists it.
   * @default none
   */
  readonly knownPolicies?: readonly string[];
}

/**
 * A tick worth a row of its own: it had nothing to do (a skip date, a tag with no droplets), its
 * dispatch failed (it can be run again), or it was dispatched only after a failed attempt.
 */
export type SkippedTick = RunRecord;

/** One row of an audit: a droplet's item or a skipped tick, with what the ledger knows around it. */
export interface AuditEntry {
  readonly record: DropletLedgerRecord | SkippedTick | OverrideRecord;
  /** For an override: the rows of this result whose reason names it (what it skipped, as far as shown). */
  readonly skippedByOverride?: number;
  /** For an override: where it stood at the end of the range (`expired`: its until had passed). */
  readonly overrideState?: 'active' | 'cancelled' | 'expired';
  /**
   * The droplet's name: the item's own, else one that another ledger item of the same droplet
   * recorded (a bulk answer and a policy's droplet ids carry no names).
   */
  readonly dropletName?: string;
  /** For a follow-up (the `power_off` after a timed-out `shutdown`): the action it follows, when in range. */
  readonly parent?: ActionRecord;
  /** The droplet's stable identity when it was ever parked: the id it had when first parked. */
  readonly lineageId?: number;
}

/** What one audit read found: at most `limit` entries, and whether more matched. */
export interface AuditResult {
  readonly entries: AuditEntry[];
  readonly truncated: boolean;
  /**
   * The droplet ids the query covered, when it asked for one droplet (or a name) whose lineage
   * has had several: what the rows are "the whole history" of.
   */
  readonly dropletIds?: readonly number[];
}

type AuditRecord = DropletLedgerRecord | SkippedTick;

/** What one row of an audit is about: a tick's item, or an override. */
type AuditItem = AuditRecord | OverrideRecord;

/**
 * Answers an audit through the one index that fits the question, page by page up to the limit:
 * a droplet's partition of the by-droplet index (`dropletId`), the policy's own partition
 * (`policy`), or the by-status index, one query per status, merged (neither). `from`/`to` bound
 * the index's own time: when the item was first recorded, the tick, or the last update.
 */
export async function readAudit(ledger: AuditQueries, query: AuditQuery): Promise<AuditResult> {
  const lineages = await lineagesByDroplet(ledger);
  const dropletIds = dropletIdsOf(query, lineages);
  const found = await findRecords(ledger, query, dropletIds);
  const described = (await describeEntries(ledger, found.records)).map((entry) => {
    const lineage =
      entry.record.kind === 'run' || entry.record.kind === 'override'
        ? undefined
        : lineages.get(entry.record.dropletId);
    return lineage === undefined ? entry : { ...entry, lineageId: lineage.lineageId };
  });
  // An override is shown when it was written by the end of the range, or skipped a row shown.
  const entries = withOverrideCounts(described, query.to).filter(
    ({ record, skippedByOverride }) =>
      record.kind !== 'override' || record.claimedAt <= query.to || (skippedByOverride ?? 0) > 0,
  );
  return {
    entries,
    truncated: found.truncated,
    ...(dropletIds && dropletIds.length > 1 ? { dropletIds } : {}),
  };
}

/** Every lineage, by each droplet id it has had: a parked droplet's history spans several ids. */
async function lineagesByDroplet(ledger: AuditQueries): Promise<Map<number, LineageRecord>> {
  const byDroplet = new Map<number, LineageRecord>();
  let cursor: string | undefined;
  do {
    const page = await ledger.queryLineages({ cursor, limit: PAGE_SIZE });
    for (const lineage of page.items) for (const id of lineage.dropletIds) byDroplet.set(id, lineage);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return byDroplet;
}

/**
 * The droplet ids a droplet or name question covers: the droplet's whole lineage (either of its
 * ids finds it), or every lineage of that name; undefined when the question is not about a droplet.
 */
function dropletIdsOf(query: AuditQuery, lineages: ReadonlyMap<number, LineageRecord>): number[] | undefined {
  if (query.dropletId !== undefined)
    return [...(lineages.get(query.dropletId)?.dropletIds ?? [query.dropletId])];
  if (query.dropletName === undefined) return undefined;
  const name = query.dropletName.toLowerCase();
  return [
    ...new Set([...lineages.values()].filter((lineage) => lineage.name.toLowerCase() === name)),
  ].flatMap((lineage) => lineage.dropletIds);
}

async function findRecords(
  ledger: AuditQueries,
  query: AuditQuery,
  dropletIds: readonly number[] | undefined,
): Promise<{ records: AuditItem[]; truncated: boolean }> {
  const range = { from: query.from, to: query.to };
  const wantsSkippedTicks =
    dropletIds === undefined &&
    (query.statuses === undefined ||
      query.statuses.some((status) => status === 'skipped' || status === 'errored'));
  const wanted = (record: LedgerRecord): record is AuditRecord =>
    (record.kind === 'run'
      ? wantsSkippedTicks && notableTick(record, query)
      : (record.kind === 'action' || (query.includeDeletions && record.kind === 'snapshot-deletion')) &&
        (query.statuses === undefined || query.statuses.includes(record.status))) &&
    (query.policy === undefined || record.policy === query.policy) &&
    (query.team === undefined || (record.team ?? DEFAULT_TEAM) === query.team);
  if (dropletIds !== undefined) {
    const results = await Promise.all(
      dropletIds.map((id) =>
        collect(
          (cursor) => ledger.queryByDroplet(id, { ...range, cursor, limit: PAGE_SIZE }),
          wanted,
          query.limit,
        ),
      ),
    );
    const records = results
      .flatMap((result) => result.records)
      .sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
    return {
      records: records.slice(0, query.limit),
      truncated: records.length > query.limit || results.some((result) => result.truncated),
    };
  }
  if (query.policy !== undefined) {
    const policy = query.policy;
    const [ticks, overrides] = await Promise.all([
      collect(
        (cursor) => ledger.queryByPolicy(policy, { ...range, cursor, limit: PAGE_SIZE }),
        wanted,
        query.limit,
      ),
      overridesInRange(ledger, policy, query),
    ]);
    // Each override before the first tick it could apply to, in the order of the ticks.
    const records = [...ticks.records, ...overrides].sort((a, b) => auditTime(a).localeCompare(auditTime(b)));
    return {
      records: records.slice(0, query.limit),
      truncated: ticks.truncated || records.length > query.limit,
    };
  }
  const results = await Promise.all(
    (query.statuses ?? LEDGER_STATUSES).map((status) =>
      collect(
        (cursor) => ledger.queryByStatus(status, { ...range, cursor, limit: PAGE_SIZE }),
        wanted,
        query.limit,
      ),
    ),
  );
  const records: AuditItem[] = results.flatMap((result) => result.records);
  if (wantsSkippedTicks) {
    const policies = new Set([...(query.knownPolicies ?? []), ...records.map((record) => record.policy)]);
    const ticks = await Promise.all([...policies].map((policy) => skippedTicks(ledger, policy, query)));
    records.push(...ticks.flatMap((result) => result.records));
    results.push(...ticks);
    if (query.statuses === undefined) {
      const overrides = await Promise.all(
        [...policies].map((policy) => overridesInRange(ledger, policy, query)),
      );
      records.push(...overrides.flat());
    }
  }
  records.sort(
    (a, b) =>
      a.updatedAt.localeCompare(b.updatedAt) || describeItem(idOf(a)).localeCompare(describeItem(idOf(b))),
  );
  return {
    records: records.slice(0, query.limit),
    truncated: records.length > query.limit || results.some((result) => result.truncated),
  };
}

/**
 * A policy's skipped ticks recorded between `from` and `to`. They are in the policy's partition
 * only, keyed by the tick, which is at or a little before the time they were recorded, or later
 * for a tick dispatched ahead of time by hand.
 */
function skippedTicks(
  ledger: AuditQueries,
  policy: string,
  query: AuditQuery,
): Promise<{ records: AuditRecord[]; truncated: boolean }> {
  const from = new Date(Date.parse(query.from) - LATE_TICK_MS).toISOString();
  const recorded = (record: LedgerRecord): record is SkippedTick =>
    record.kind === 'run' &&
    (query.team === undefined || (record.team ?? DEFAULT_TEAM) === query.team) &&
    notableTick(record, query) &&
    record.updatedAt >= query.from &&
    record.updatedAt <= query.to;
  return collect(
    (cursor) => ledger.queryByPolicy(policy, { from, cursor, limit: PAGE_SIZE }),
    recorded,
    query.limit,
  );
}

/**
 * A policy's overrides not over (expired or cancelled) before `from`, unless a status is asked
 * for. `withOverrideCounts` then keeps those written before `to` or named by a row shown (a tick
 * in range dispatched late, after the override was written).
 */
async function overridesInRange(
  ledger: AuditQueries,
  policy: string,
  query: AuditQuery,
): Promise<OverrideRecord[]> {
  if (query.statuses !== undefined) return [];
  const found: OverrideRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.queryOverrides(policy, { expiringAfter: query.from, cursor, limit: PAGE_SIZE });
    found.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && found.length < query.limit);
  return found.filter(
    (override) =>
      (override.cancelledAt ?? override.until) >= query.from &&
      (query.team === undefined || (override.team ?? DEFAULT_TEAM) === query.team),
  );
}

/** Where a row sorts in a policy's audit: a tick at its tick, an override when it was written. */
function auditTime(record: AuditItem): string {
  return record.kind === 'override' ? record.claimedAt : record.scheduledTime;
}

/** Counts, for each override shown, the rows it skipped (their reason names it). */
function withOverrideCounts(entries: AuditEntry[], to: string): AuditEntry[] {
  const marker = (override: OverrideRecord) => `by override ${formatOverrideId(override)}`;
  return entries.map((entry) => {
    if (entry.record.kind !== 'override') return entry;
    const text = marker(entry.record);
    const skipped = entries.filter(
      ({ record }) =>
        record.kind !== 'override' && 'reason' in record && record.reason?.includes(text) === true,
    ).length;
    const state =
      entry.record.status === 'cancelled' ? 'cancelled' : entry.record.until <= to ? 'expired' : 'active';
    return { ...entry, skippedByOverride: skipped, overrideState: state };
  });
}

/**
 * Whether a run gets a row of its own for this query: skipped (`--status skipped`), failed
 * (`--status failed`), or dispatched only after a failed attempt (no status filter).
 */
function notableTick(run: RunRecord, query: AuditQuery): boolean {
  const asked = (status: string) => query.statuses === undefined || query.statuses.includes(status as never);
  if (run.status === 'skipped') return asked('skipped');
  if (run.status === 'failed') return asked('errored');
  return run.status === 'dispatched' && run.attempts > 1 && query.statuses === undefined;
}

/** Pages through one query until `limit` records pass the filter or the query ends. */
async function collect<T extends LedgerRecord>(
  page: (cursor?: string) => Promise<Page<T>>,
  wanted: (record: LedgerRecord) => record is AuditRecord,
  limit: number,
): Promise<{ records: AuditRecord[]; truncated: boolean }> {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    for (const item of next.items) {
      if (!wanted(item)) continue;
      if (records.length === limit) return { records, truncated: true };
      records.push(item);
    }
    cursor = next.cursor;
  } while (cursor !== undefined);
  return { records, truncated: false };
}

/** Adds each droplet's name where the ledger knows it, and each follow-up's parent action. */
async function describeEntries(ledger: AuditQueries, items: AuditItem[]): Promise<AuditEntry[]> {
  const names = new Map<number, string>();
  const byKey = new Map<string, AuditRecord>();
  const records = items.filter((item): item is AuditRecord => item.kind !== 'override');
  for (const record of records) {
    byKey.set(describeItem(idOf(record)), record);
    if (record.kind === 'action' && record.dropletName) names.set(record.dropletId, record.dropletName);
  }
  const unnamed = [
    ...new Set(
      records.flatMap((record) =>
        record.kind !== 'run' && !names.has(record.dropletId) ? [record.dropletId] : [],
      ),
    ),
  ];
  await Promise.all(
    unnamed.slice(0, NAME_LOOKUPS).map(async (dropletId) => {
      const name = await recordedName(ledger, dropletId);
      if (name) names.set(dropletId, name);
    }),
  );
  return items.map((record) => {
    if (record.kind === 'run') return { record };
    if (record.kind === 'override') {
      const dropletName = record.dropletId === undefined ? undefined : names.get(record.dropletId);
      return { record, dropletName };
    }
    const parent =
      record.kind === 'action' && record.parentActionId !== undefined
        ? byKey.get(
            describeItem(
              actionId(record.policy, record.scheduledTime, record.dropletId, (record.step ?? 1) - 1),
            ),
          )
        : undefined;
    return {
      record,
      dropletName: (record.kind === 'action' ? record.dropletName : undefined) ?? names.get(record.dropletId),
      parent: parent?.kind === 'action' ? parent : undefined,
    };
  });
}

/** A name some ledger item of the droplet recorded, from the first page of its partition. */
async function recordedName(ledger: AuditQueries, dropletId: number): Promise<string | undefined> {
  const page = await ledger.queryByDroplet(dropletId, { limit: 100 });
  const named = page.items.find((item) => item.kind === 'action' && item.dropletName);
  return named?.kind === 'action' ? named.dropletName : undefined;
}
