import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { eachWithConcurrency } from '../../core/concurrency/each-with-concurrency';
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
import {
  dropletPartitionKey,
  openPartitionKey,
  policyPartitionKey,
  policySortKeyRange,
} from '../../core/ledger/ledger-keys';
import type { DropletLedgerRecord, LedgerRecord } from '../../core/ledger/ledger-record';
import type { LedgerKey } from '../../core/ledger/ledger-record-base';
import type { LedgerStatus } from '../../core/ledger/ledger-status';
import { LEDGER_INDEX } from '../../core/ledger/ledger-table-schema';
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
} from '../../core/ports/action-ledger';
import { fromItem, openPk, statusPk, toItem } from './ledger-item';
import { spreadDueAt } from './spread-due-at';
import { isConditionalCheckFailure, ledgerStoreError } from './ledger-store-error';
import { UpdateExpressionBuilder } from './update-expression-builder';

export interface DynamoDbActionLedgerOptions {
  /** The DynamoDB client: its region, endpoint and credentials decide where the ledger lives. */
  readonly client: DynamoDBClient;
  /** The ledger table; required, there is no sensible default name. */
  readonly tableName: string;
  /**
   * Partitions of the sparse `open` index. One holds thousands of open items comfortably; more
   * spread the writes of very large fleets. Raise it freely; an item written under a higher count
   * stays invisible to `findOpenDue` after a decrease until its next update.
   * @default 1
   */
  readonly openShards?: number;
  /**
   * Days an item is kept before DynamoDB's TTL may delete it.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Milliseconds since the epoch; injectable so that tests and time-scaled runs control it.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Conditional puts in flight at once while recording a bulk POST's actions.
   * @default 8
   */
  readonly writeConcurrency?: number;
  /**
   * Spreads each action's `dueAt` by up to this many milliseconds, by its key, so that dynalite's
   * index entries never collide (see `spreadDueAt`). Set for dynalite; DynamoDB needs none.
   * @default 0
   */
  readonly spreadDueAtMs?: number;
}

type Item = Record<string, unknown>;

/** A query split over partitions (open shards, status months), read one partition after the other. */
type PartitionedQuery = readonly Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>[];

/**
 * The `ActionLedger` on DynamoDB (or dynalite): single-item conditional writes only, so it needs
 * neither transactions nor `ReturnValuesOnConditionCheckFailure`; after a failed condition it reads
 * the item back with a consistent read to say what it found.
 */
export class DynamoDbActionLedger implements ActionLedger {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly openShards: number;
  private readonly auditRetentionDays: number;
  private readonly now: () => number;
  private readonly writeConcurrency: number;
  private readonly spreadDueAtMs: number;

  constructor(options: DynamoDbActionLedgerOptions) {
    if (typeof options.tableName !== 'string' || options.tableName.length === 0) {
      throw new ConfigurationError(
        `tableName: expected a DynamoDB table name, got: ${JSON.stringify(options.tableName)}`,
      );
    }
    this.openShards = positiveInteger('openShards', options.openShards ?? 1);
    this.writeConcurrency = positiveInteger('writeConcurrency', options.writeConcurrency ?? 8);
    this.spreadDueAtMs = options.spreadDueAtMs ?? 0;
    this.auditRetentionDays = options.auditRetentionDays ?? 400;
    if (!(this.auditRetentionDays > 0)) {
      throw new ConfigurationError(
        `auditRetentionDays: expected a positive number, got: ${this.auditRetentionDays}`,
      );
    }
    this.tableName = options.tableName;
    this.now = options.now ?? Date.now;
    this.documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async claimRun(run: NewRun): Promise<ClaimResult<RunRecord>> {
    const record = newRunRecord(run, this.stamp());
    if (await this.putIfAbsent('claimRun', record)) return { claimed: true, record };
    return { claimed: false, existing: (await this.getExisting('claimRun', record)) as RunRecord };
  }

  async updateRun(
    key: LedgerKey,
    changes: RunChanges,
    options: { readonly expectedStatus?: RunStatus; readonly expectedDueAt?: string } = {},
  ): Promise<RunRecord> {
    const update = new UpdateExpressionBuilder()
      .set('dueAt', changes.dueAt === undefined ? undefined : toLedgerTime(changes.dueAt, 'dueAt'))
      .set('status', changes.status)
      .set('mode', changes.mode)
      .set('targetCount', changes.targetCount)
      .set('counts', changes.counts)
      .set('reason', changes.reason)
      .set('updatedAt', this.stamp().now);
    // A run that moves on from `dispatching` is no longer the reconciler's business.
    if (changes.status !== undefined && changes.status !== 'dispatching')
      update.remove('openPk').remove('dueAt');
    let condition = `${update.name('kind')} = ${update.value('run')}`;
    if (options.expectedStatus !== undefined) {
      condition += ` AND ${update.name('status')} = ${update.value(options.expectedStatus)}`;
    }
    if (options.expectedDueAt !== undefined) {
      condition += ` AND ${update.name('dueAt')} = ${update.value(toLedgerTime(options.expectedDueAt, 'expectedDueAt'))}`;
    }
    const expected = [
      'a run item',
      options.expectedStatus === undefined ? '' : ` with status ${options.expectedStatus}`,
      options.expectedDueAt === undefined ? '' : ` due at ${options.expectedDueAt}`,
    ].join('');
    return (await this.updateOrThrow('updateRun', key, update, condition, expected)) as RunRecord;
  }

  async claimAction(action: NewAction): Promise<ClaimResult<ActionRecord>> {
    const fresh = newActionRecord(action, this.stamp());
    const record = { ...fresh, dueAt: this.dueAt(fresh, fresh.dueAt as string) };
    if (await this.putIfAbsent('claimAction', record)) return { claimed: true, record };
    return { claimed: false, existing: (await this.getExisting('claimAction', record)) as ActionRecord };
  }

  async recordTerminalWithoutAction(
    action: ActionDescription,
    outcome: TerminalWithoutAction,
  ): Promise<RecordResult<ActionRecord>> {
    const record = terminalWithoutActionRecord(action, outcome, this.stamp());
    // An upsert rather than a put: a `pending` claim keeps its claimedAt, attempts and TTL.
    const update = new UpdateExpressionBuilder();
    const firstWriteOnly = new Set(['claimedAt', 'attempts', 'expiresAt']);
    for (const [attribute, value] of Object.entries(toItem(record, this.openShards))) {
      if (attribute === 'pk' || attribute === 'sk' || value === undefined) continue;
      if (firstWriteOnly.has(attribute)) update.setIfNotExists(attribute, value);
      else update.set(attribute, value);
    }
    update.remove('openPk').remove('dueAt');
    const condition = `attribute_not_exists(${update.name('pk')}) OR ${update.name('status')} = ${update.value('pending')}`;
    const stored = await this.conditionalUpdate('recordTerminalWithoutAction', record, update, condition);
    if (stored !== undefined) return { recorded: true, record: stored as ActionRecord };
    return {
      recorded: false,
      existing: (await this.getExisting('recordTerminalWithoutAction', record)) as ActionRecord,
    };
  }

  async markStarted(key: LedgerKey, changes: StartedChanges): Promise<ActionRecord> {
    const { now } = this.stamp();
    const update = new UpdateExpressionBuilder()
      .set('status', 'in-progress')
      .set('actionId', changes.actionId)
      .set('startedAt', toLedgerTime(changes.startedAt, 'startedAt'))
      .set('dueAt', this.dueAt(key, changes.dueAt))
      .set(
        'timeoutAt',
        changes.timeoutAt === undefined ? undefined : toLedgerTime(changes.timeoutAt, 'timeoutAt'),
      )
      .set('region', changes.region)
      .set('updatedAt', now)
      .set('statusPk', statusPk('in-progress', now))
      .set('openPk', openPk(key, this.openShards));
    const condition = this.pendingWithAttempts(update, changes.expectedAttempts);
    const expected = `status pending and attempts ${changes.expectedAttempts}`;
    return (await this.updateOrThrow('markStarted', key, update, condition, expected)) as ActionRecord;
  }

  async retryClaim(key: LedgerKey, changes: RetryChanges): Promise<ActionRecord> {
    const { now } = this.stamp();
    const update = new UpdateExpressionBuilder()
      .increment('attempts')
      .set('dueAt', this.dueAt(key, changes.dueAt))
      .set('sendingAt', now)
      .set('updatedAt', now)
      .set('statusPk', statusPk('pending', now))
      .set('openPk', openPk(key, this.openShards));
    const condition = this.pendingWithAttempts(update, changes.expectedAttempts);
    const expected = `status pending and attempts ${changes.expectedAttempts}`;
    return (await this.updateOrThrow('retryClaim', key, update, condition, expected)) as ActionRecord;
  }

  async reschedule(key: LedgerKey, changes: RescheduleChanges): Promise<ActionRecord> {
    const { now } = this.stamp();
    const update = new UpdateExpressionBuilder()
      .set('dueAt', this.dueAt(key, changes.dueAt))
      .set(
        'timeoutAt',
        changes.timeoutAt === undefined ? undefined : toLedgerTime(changes.timeoutAt, 'timeoutAt'),
      )
      .set(
        'sendingAt',
        changes.sendingAt === undefined ? undefined : toLedgerTime(changes.sendingAt, 'sendingAt'),
      )
      .increment('checks')
      .set('updatedAt', now)
      .set('statusPk', statusPk(changes.expectedStatus, now))
      .set('openPk', openPk(key, this.openShards));
    let condition = `${update.name('status')} = ${update.value(changes.expectedStatus)}`;
    let expected = `status ${changes.expectedStatus}`;
    if (changes.expectedAttempts !== undefined) {
      condition += ` AND ${update.name('attempts')} = ${update.value(changes.expectedAttempts)}`;
      expected += ` and attempts ${changes.expectedAttempts}`;
    }
    if (changes.expectedClaim !== undefined) {
      condition += ` AND ${this.claimUnchanged(update, changes.expectedClaim)}`;
      expected += ` and the claim unchanged since attempt ${changes.expectedClaim.attempts}`;
    }
    return (await this.updateOrThrow('reschedule', key, update, condition, expected)) as ActionRecord;
  }

  async markTerminal(
    key: LedgerKey,
    changes: TerminalChanges,
  ): Promise<{ transitioned: true; record: ActionRecord } | { transitioned: false; existing: ActionRecord }> {
    const { now } = this.stamp();
    const update = new UpdateExpressionBuilder()
      .set('status', changes.status)
      .set('completedAt', toLedgerTime(changes.completedAt ?? now, 'completedAt'))
      .set('lastError', changes.error)
      .set('reason', changes.reason)
      .set('actionId', changes.actionId)
      .set(
        'startedAt',
        changes.startedAt === undefined ? undefined : toLedgerTime(changes.startedAt, 'startedAt'),
      )
      .set('updatedAt', now)
      .set('statusPk', statusPk(changes.status, now))
      .remove('openPk')
      .remove('dueAt');
    const status = update.name('status');
    let condition = `${status} IN (${update.value('pending')}, ${update.value('in-progress')})`;
    if (changes.expectedClaim !== undefined)
      condition += ` AND ${this.claimUnchanged(update, changes.expectedClaim)}`;
    const stored = await this.conditionalUpdate('markTerminal', key, update, condition);
    if (stored !== undefined) return { transitioned: true, record: stored as ActionRecord };
    const existing = await this.get(key);
    if (existing?.kind !== 'action') {
      throw new LedgerConflictError({
        operation: 'markTerminal',
        key,
        expected: 'an action item',
        found: describeLedgerState(existing),
      });
    }
    return { transitioned: false, existing };
  }

  private dueAt(key: LedgerKey, dueAt: string): string {
    return spreadDueAt(toLedgerTime(dueAt, 'dueAt'), key, this.spreadDueAtMs);
  }

  /** No new attempt and no new send stamp since the claim was read as `claim`. */
  private claimUnchanged(update: UpdateExpressionBuilder, claim: ClaimVersion): string {
    const attempts = `${update.name('attempts')} = ${update.value(claim.attempts)}`;
    const sendingAt =
      claim.sendingAt === undefined
        ? `attribute_not_exists(${update.name('sendingAt')})`
        : `${update.name('sendingAt')} = ${update.value(toLedgerTime(claim.sendingAt, 'sendingAt'))}`;
    return `${attempts} AND ${sendingAt}`;
  }

  async recordBulkActions(
    bulk: BulkActions,
  ): Promise<{ recorded: ActionRecord[]; alreadyPresent: LedgerKey[] }> {
    const records = bulkActionRecords(bulk, this.stamp()).map((record) =>
      record.dueAt === undefined ? record : { ...record, dueAt: this.dueAt(record, record.dueAt) },
    );
    const recorded: ActionRecord[] = [];
    const alreadyPresent: LedgerKey[] = [];
    // Conditional puts rather than BatchWriteItem: a blind write could overwrite an item that a
    // reconciler has already moved on, so each put is checked, with bounded concurrency.
    await eachWithConcurrency(records, this.writeConcurrency, async (record) => {
      if (await this.putIfAbsent('recordBulkActions', record)) recorded.push(record);
      else alreadyPresent.push({ pk: record.pk, sk: record.sk });
    });
    return { recorded, alreadyPresent };
  }

  async recordSnapshotDeletion(deletion: NewSnapshotDeletion): Promise<RecordResult<SnapshotDeletionRecord>> {
    const record = newSnapshotDeletionRecord(deletion, this.stamp());
    if (await this.putIfAbsent('recordSnapshotDeletion', record)) return { recorded: true, record };
    return {
      recorded: false,
      existing: (await this.getExisting('recordSnapshotDeletion', record)) as SnapshotDeletionRecord,
    };
  }

  async get(key: LedgerKey): Promise<LedgerRecord | undefined> {
    try {
      const output = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
      );
      return output.Item === undefined ? undefined : fromItem(output.Item);
    } catch (error) {
      throw ledgerStoreError('GetItem', this.tableName, error);
    }
  }

  async findOpenDue(now: string, options?: PageOptions): Promise<Page<ActionRecord>> {
    return (await this.openOfKind('action', now, options)) as Page<ActionRecord>;
  }

  async findAbandonedRuns(now: string, options?: PageOptions): Promise<Page<RunRecord>> {
    return (await this.openOfKind('run', now, options)) as Page<RunRecord>;
  }

  /** The `open` index's items of one kind that are due; the other kind is filtered out by DynamoDB. */
  private openOfKind(
    kind: 'action' | 'run',
    now: string,
    options?: PageOptions,
  ): Promise<Page<LedgerRecord>> {
    const due = toLedgerTime(now, 'now');
    const shards = Array.from({ length: this.openShards }, (_, shard) => ({
      IndexName: LEDGER_INDEX.open,
      KeyConditionExpression: 'openPk = :shard AND dueAt <= :due',
      FilterExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':shard': openPartitionKey(shard), ':due': due, ':kind': kind },
    }));
    return this.pagedQuery(`open-${kind}|${this.openShards}`, shards, options);
  }

  async queryByDroplet(
    dropletId: number,
    options: TimeRange & PageOptions = {},
  ): Promise<Page<DropletLedgerRecord>> {
    const range = timeRangeCondition('claimedAt', options);
    if (range.empty) return { items: [] };
    const query = {
      IndexName: LEDGER_INDEX.byDroplet,
      KeyConditionExpression: `dropletPk = :droplet${range.expression}`,
      ExpressionAttributeValues: { ':droplet': dropletPartitionKey(dropletId), ...range.values },
    };
    const scope = `by-droplet|${dropletId}|${range.scope}`;
    return (await this.pagedQuery(scope, [query], options)) as Page<DropletLedgerRecord>;
  }

  async queryByPolicy(policy: string, options: TimeRange & PageOptions = {}): Promise<Page<LedgerRecord>> {
    const { lower, upper } = policySortKeyRange(options.from, options.to);
    // DynamoDB refuses a BETWEEN whose bounds are reversed; an empty range has no items anyway.
    if (lower > upper) return { items: [] };
    const query = {
      KeyConditionExpression: 'pk = :policy AND sk BETWEEN :lower AND :upper',
      ExpressionAttributeValues: { ':policy': policyPartitionKey(policy), ':lower': lower, ':upper': upper },
      ConsistentRead: true,
    };
    return this.pagedQuery(`by-policy|${policy}|${lower}|${upper}`, [query], options);
  }

  async queryByStatus(
    status: LedgerStatus,
    options: Required<TimeRange> & PageOptions,
  ): Promise<Page<DropletLedgerRecord>> {
    const from = toLedgerTime(options.from, 'from');
    const to = toLedgerTime(options.to, 'to');
    const months = from > to ? [] : monthsBetween(from, to);
    const queries = months.map((month) => ({
      IndexName: LEDGER_INDEX.byStatus,
      KeyConditionExpression: 'statusPk = :status AND updatedAt BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':status': statusPk(status, `${month}-01`), ':from': from, ':to': to },
    }));
    const scope = `by-status|${status}|${from}|${to}`;
    return (await this.pagedQuery(scope, queries, options)) as Page<DropletLedgerRecord>;
  }

  private stamp(): WriteStamp {
    const nowMs = this.now();
    return { now: toLedgerTime(nowMs, 'now()'), expiresAt: expiresAtFor(nowMs, this.auditRetentionDays) };
  }

  private pendingWithAttempts(update: UpdateExpressionBuilder, expectedAttempts: number): string {
    return (
      `${update.name('status')} = ${update.value('pending')} AND ` +
      `${update.name('attempts')} = ${update.value(expectedAttempts)}`
    );
  }

  /** Puts a new item; false when an item with its key exists. */
  private async putIfAbsent(operation: string, record: LedgerRecord): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record, this.openShards),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw ledgerStoreError(`PutItem (${operation})`, this.tableName, error);
    }
  }

  /** Reads the item a failed condition ran into; gone by now only if TTL or a person deleted it. */
  private async getExisting(operation: string, key: LedgerKey): Promise<LedgerRecord> {
    const existing = await this.get(key);
    if (existing === undefined) {
      throw new LedgerConflictError({
        operation,
        key,
        expected: 'no item',
        found: 'an item that has since disappeared',
      });
    }
    return existing;
  }

  /** Runs a conditional UpdateItem; the stored record, or undefined when the condition failed. */
  private async conditionalUpdate(
    operation: string,
    key: LedgerKey,
    update: UpdateExpressionBuilder,
    condition: string,
  ): Promise<LedgerRecord | undefined> {
    try {
      const output = await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key.pk, sk: key.sk },
          ...update.build(condition),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(output.Attributes as Item);
    } catch (error) {
      if (isConditionalCheckFailure(error)) return undefined;
      throw ledgerStoreError(`UpdateItem (${operation})`, this.tableName, error);
    }
  }

  /** A conditional update that must exist: a failed condition becomes a LedgerConflictError. */
  private async updateOrThrow(
    operation: string,
    key: LedgerKey,
    update: UpdateExpressionBuilder,
    condition: string,
    expected: string,
  ): Promise<LedgerRecord> {
    // Without this, an update of a missing key would create a fragment of an item.
    const stored = await this.conditionalUpdate(
      operation,
      key,
      update,
      `attribute_exists(${update.name('pk')}) AND (${condition})`,
    );
    if (stored !== undefined) return stored;
    const found = describeLedgerState(await this.get(key));
    throw new LedgerConflictError({ operation, key, expected, found });
  }

  private async pagedQuery(
    scope: string,
    partitions: PartitionedQuery,
    options: PageOptions | undefined,
  ): Promise<Page<LedgerRecord>> {
    const limit = pageLimit(options);
    const start = options?.cursor === undefined ? undefined : decodeLedgerCursor(options.cursor, scope);
    const items: LedgerRecord[] = [];
    let partition = start?.partition ?? 0;
    let after: Record<string, unknown> | undefined = start?.after;
    while (partition < partitions.length) {
      let output;
      try {
        output = await this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            ...partitions[partition],
            Limit: limit - items.length,
            ExclusiveStartKey: after,
          }),
        );
      } catch (error) {
        throw ledgerStoreError('Query', this.tableName, error);
      }
      items.push(...(output.Items ?? []).map(fromItem));
      after = output.LastEvaluatedKey;
      if (after === undefined) partition += 1;
      if (items.length >= limit) {
        const more = partition < partitions.length;
        if (!more) return { items };
        const position = { scope, partition, after: after as Record<string, string | number> | undefined };
        return { items, cursor: encodeLedgerCursor(position) };
      }
    }
    return { items };
  }
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${option}: expected a positive integer, got: ${value}`);
  }
  return value;
}

/** The sort-key part of a GSI query for an optional time range on `attribute`. */
function timeRangeCondition(
  attribute: string,
  range: TimeRange,
): { expression: string; values: Record<string, string>; scope: string; empty: boolean } {
  const from = range.from === undefined ? undefined : toLedgerTime(range.from, 'from');
  const to = range.to === undefined ? undefined : toLedgerTime(range.to, 'to');
  const scope = `${from ?? ''}|${to ?? ''}`;
  if (from !== undefined && to !== undefined) {
    const expression = ` AND ${attribute} BETWEEN :from AND :to`;
    return { expression, values: { ':from': from, ':to': to }, scope, empty: from > to };
  }
  if (from !== undefined) {
    return { expression: ` AND ${attribute} >= :from`, values: { ':from': from }, scope, empty: false };
  }
  if (to !== undefined)
    return { expression: ` AND ${attribute} <= :to`, values: { ':to': to }, scope, empty: false };
  return { expression: '', values: {}, scope, empty: false };
}
