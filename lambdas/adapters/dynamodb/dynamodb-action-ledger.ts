import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConfigurationError } from '../../core/errors/configuration-error';
import { idOf, ownerId, type ItemId } from '../../core/ledger/item-id';
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
import { DEFAULT_TEAM } from '../../core/policy/team-name';
import { formatTeamScope, scopeTeams, type TeamScope } from '../../core/ledger/team-scope';
import type { ActionLedger, TimeRange } from '../../core/ports/audit-queries';
import type {
  ActionOwner,
  CreateResult,
  OpenDueOptions,
  Page,
  PageOptions,
  PutResult,
} from '../../core/ports/ledger-store';
import { decodeLedgerCursor, encodeLedgerCursor } from './ledger-cursor';
import {
  LINEAGE_PARTITION,
  OPEN_PARTITION,
  dropletPartitionKey,
  fromItem,
  policyPartitionKey,
  overrideSortKeyRange,
  policySortKeyRange,
  statusPartitionKey,
  tableKey,
  toItem,
} from './ledger-layout';
import { LEDGER_INDEX } from './ledger-table-schema';
import { isConditionalCheckFailure, ledgerStoreError } from './ledger-store-error';

export interface DynamoDbActionLedgerOptions {
  /** The DynamoDB client: its region, endpoint and credentials decide where the ledger lives. */
  readonly client: DynamoDBClient;
  /** The ledger table; required, there is no sensible default name. */
  readonly tableName: string;
  /**
   * Days an item is kept before DynamoDB's TTL may delete it.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Milliseconds since the epoch, for the TTL of new items.
   * @default Date.now
   */
  readonly now?: () => number;
}

type Item = Record<string, unknown>;

/** A query split over partitions (status months), read one partition after the other. */
type PartitionedQuery = readonly Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>[];

/**
 * Query requests one page of a filtered query may take. DynamoDB applies `Limit` before the
 * filter, so a page of few matches among many other items would otherwise read on to the end of
 * the index in one call; past this many requests the page ends short, with a cursor.
 */
export const MAX_FILTERED_READS_PER_PAGE = 10;

/**
 * The ledger on DynamoDB: it only persists. Creates are `attribute_not_exists(pk)`, every other
 * write replaces the item under `version = :expected`, and a lost condition is answered with a
 * consistent read of what won. No transactions and no `ReturnValuesOnConditionCheckFailure`.
 */
export class DynamoDbActionLedger implements ActionLedger {
  protected readonly documents: DynamoDBDocumentClient;
  protected readonly tableName: string;
  private readonly auditRetentionDays: number;
  private readonly now: () => number;

  constructor(options: DynamoDbActionLedgerOptions) {
    if (typeof options.tableName !== 'string' || options.tableName.length === 0) {
      throw new ConfigurationError(
        `tableName: expected a DynamoDB table name, got: ${JSON.stringify(options.tableName)}`,
      );
    }
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

  async get(id: ItemId): Promise<LedgerItem | undefined> {
    const item = await this.read('GetItem', id);
    return item === undefined ? undefined : fromItem(item);
  }

  async create(record: LedgerItem): Promise<CreateResult<LedgerItem>> {
    const id = idOf(record);
    const expiresAt = keptForGood(record) ? undefined : (record.expiresAt ?? this.expiresAt());
    const stored = this.toStored({ ...record, expiresAt }, id);
    if (await this.write('PutItem (create)', stored, 'attribute_not_exists(pk)')) {
      return { created: true, item: fromItem(stored) };
    }
    const existing = await this.get(id);
    // Only TTL or a person deletes items: seen gone right after a failed create, try once more.
    if (existing === undefined) return this.create(record);
    return { created: false, existing };
  }

  async put(record: LedgerItem, expectedVersion: number): Promise<PutResult> {
    const id = idOf(record);
    const stored = this.toStored(record, id);
    const written = await this.write('PutItem (compare-and-set)', stored, '#version = :expected', {
      names: { '#version': 'version' },
      values: { ':expected': expectedVersion },
    });
    if (written) return { written: true, item: fromItem(stored) };
    return { written: false, current: await this.get(id) };
  }

  async claimActionOwner(claim: ActionOwner): Promise<ActionOwner> {
    const id = ownerId(claim.actionId);
    const item = {
      ...tableKey(id),
      actionId: claim.actionId,
      owner: claim.owner,
      expiresAt: this.expiresAt(),
    };
    if (await this.write('PutItem (action owner)', item, 'attribute_not_exists(pk)')) return claim;
    const existing = await this.read('GetItem', id);
    return { actionId: claim.actionId, owner: existing?.owner as ItemId };
  }

  async findOpenDue(now: string, options?: OpenDueOptions): Promise<Page<LedgerRecord>> {
    const due = this.dueBy(toLedgerTime(now, 'now'));
    const teams = options?.teams;
    const filter = teams === undefined ? undefined : teamFilter(teams);
    const query = {
      IndexName: LEDGER_INDEX.open,
      KeyConditionExpression: 'openPk = :open AND dueAt <= :due',
      ExpressionAttributeValues: { ':open': OPEN_PARTITION, ':due': due, ...filter?.values },
      ...(filter
        ? { FilterExpression: filter.expression, ExpressionAttributeNames: { '#team': 'team' } }
        : {}),
    };
    // Overrides never have a `dueAt`, so the open index holds tick items only.
    const scope = `open|${due}|${formatTeamScope(teams)}`;
    return (await this.pagedQuery(scope, [query], options, {
      maxReads: filter ? MAX_FILTERED_READS_PER_PAGE : Infinity,
    })) as Page<LedgerRecord>;
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
    // The range is within `RUN#`: overrides (`OVERRIDE#`) sort before it.
    return (await this.pagedQuery(
      `by-policy|${policy}|${lower}|${upper}`,
      [query],
      options,
    )) as Page<LedgerRecord>;
  }

  async queryOverrides(
    policy: string,
    options: { readonly expiringAfter?: string } & PageOptions = {},
  ): Promise<Page<OverrideRecord>> {
    const { lower, upper } = overrideSortKeyRange(options.expiringAfter);
    const query = {
      KeyConditionExpression: 'pk = :policy AND sk BETWEEN :lower AND :upper',
      ExpressionAttributeValues: { ':policy': policyPartitionKey(policy), ':lower': lower, ':upper': upper },
      ConsistentRead: true,
    };
    return (await this.pagedQuery(`overrides|${policy}|${lower}`, [query], options)) as Page<OverrideRecord>;
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
      ExpressionAttributeValues: {
        ':status': statusPartitionKey(status, `${month}-01`),
        ':from': from,
        ':to': to,
      },
    }));
    const scope = `by-status|${status}|${from}|${to}`;
    return (await this.pagedQuery(scope, queries, options)) as Page<DropletLedgerRecord>;
  }

  async queryLineages(options: PageOptions = {}): Promise<Page<LineageRecord>> {
    const query = {
      KeyConditionExpression: 'pk = :lineage AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':lineage': LINEAGE_PARTITION, ':prefix': 'LINEAGE#' },
      ConsistentRead: true,
    };
    return (await this.pagedQuery('lineages', [query], options)) as Page<LineageRecord>;
  }

  /** The item as written; a stand-in with index quirks adjusts it here (see `DynaliteLedger`). */
  protected toStored(record: LedgerItem, id: ItemId): Item {
    return toItem(record, id);
  }

  /** The `dueAt` bound of an open-and-due query for `now`; a stand-in may widen it. */
  protected dueBy(now: string): string {
    return now;
  }

  private expiresAt(): number {
    return expiresAtFor(this.now(), this.auditRetentionDays);
  }

  private async read(operation: string, id: ItemId): Promise<Item | undefined> {
    try {
      const output = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: tableKey(id), ConsistentRead: true }),
      );
      return output.Item;
    } catch (error) {
      throw ledgerStoreError(operation, this.tableName, error);
    }
  }

  /** One conditional PutItem; false when the condition failed. */
  private async write(
    operation: string,
    item: Item,
    condition: string,
    expression: { names?: Record<string, string>; values?: Record<string, unknown> } = {},
  ): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: expression.names,
          ExpressionAttributeValues: expression.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw ledgerStoreError(operation, this.tableName, error);
    }
  }

  /**
   * Reads pages of the partitions in turn until `limit` items are in hand or nothing is left. A
   * filtered query stops after `maxReads` requests too: its page may end short, with a cursor.
   */
  private async pagedQuery(
    scope: string,
    partitions: PartitionedQuery,
    options: PageOptions | undefined,
    bounds: { readonly maxReads: number } = { maxReads: Infinity },
  ): Promise<Page<LedgerItem>> {
    const limit = pageLimit(options);
    const start = options?.cursor === undefined ? undefined : decodeLedgerCursor(options.cursor, scope);
    const items: LedgerItem[] = [];
    let partition = start?.partition ?? 0;
    let after: Record<string, unknown> | undefined = start?.after;
    let reads = 0;
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
      reads += 1;
      items.push(...(output.Items ?? []).map(fromItem));
      after = output.LastEvaluatedKey;
      if (after === undefined) partition += 1;
      if (items.length >= limit || reads >= bounds.maxReads) {
        if (partition >= partitions.length) return { items };
        const position = { scope, partition, after: after as Record<string, string | number> | undefined };
        return { items, cursor: encodeLedgerCursor(position) };
      }
    }
    return { items };
  }
}

/**
 * The filter that keeps a scope's teams. An item without `team` is the default team's, so naming
 * `DEFAULT_TEAM` also takes (or, in `except`, also leaves) the items with none; and a missing
 * attribute is never `IN` a list, so `NOT (... IN ...)` keeps it.
 */
function teamFilter(scope: TeamScope): { expression: string; values: Record<string, string> } {
  const teams = scopeTeams(scope);
  const values = Object.fromEntries(teams.map((team, index) => [`:team${index}`, team]));
  const listed = `#team IN (${Object.keys(values).join(', ')})`;
  const withDefault = teams.includes(DEFAULT_TEAM);
  if ('only' in scope) {
    return { expression: withDefault ? `(attribute_not_exists(#team) OR ${listed})` : listed, values };
  }
  return {
    expression: withDefault ? `(attribute_exists(#team) AND NOT (${listed}))` : `NOT (${listed})`,
    values,
  };
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
