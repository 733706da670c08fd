/**
 * The action ledger's table, defined once as plain data. The DynamoDB adapter's `ensureLedgerTable`
 * (local runs, tests) and the CDK table both derive from it, so the two cannot drift apart.
 */

/** A key attribute: DynamoDB's scalar type letter. */
export interface LedgerKeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface LedgerIndexSchema {
  readonly indexName: string;
  readonly partitionKey: LedgerKeyAttribute;
  readonly sortKey: LedgerKeyAttribute;
  /** Every index projects whole items: each query answers with full records, never a second read. */
  readonly projection: 'ALL';
}

export interface LedgerTableSchema {
  readonly partitionKey: LedgerKeyAttribute;
  readonly sortKey: LedgerKeyAttribute;
  readonly globalSecondaryIndexes: readonly LedgerIndexSchema[];
  /** The attribute DynamoDB's TTL reads (epoch seconds). dynalite never enforces it; CDK enables it. */
  readonly timeToLiveAttribute: string;
  readonly billingMode: 'PAY_PER_REQUEST';
}

/** Index names, for queries. */
export const LEDGER_INDEX = {
  /** Sparse: only items with something left to do (a `dueAt`), by when they are next due. */
  open: 'open',
  /** A droplet's actions and snapshot deletions, by when the ledger first recorded them. */
  byDroplet: 'by-droplet',
  /** Action and deletion items by status and month, by last update. */
  byStatus: 'by-status',
} as const;

export const LEDGER_TABLE_SCHEMA: LedgerTableSchema = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: LEDGER_INDEX.open,
      // `OPEN` while the item has a `dueAt`; removed with it once nothing is left to do.
      partitionKey: { name: 'openPk', type: 'S' },
      sortKey: { name: 'dueAt', type: 'S' },
      projection: 'ALL',
    },
    {
      indexName: LEDGER_INDEX.byDroplet,
      // `DROPLET#<id>`. Sorted by `claimedAt` rather than DESIGN's `startedAt`: `startedAt` is
      // DigitalOcean's and absent on pending, rejected and skipped items, which would drop out of
      // the index exactly when an operator asks why a droplet was not touched.
      partitionKey: { name: 'dropletPk', type: 'S' },
      sortKey: { name: 'claimedAt', type: 'S' },
      projection: 'ALL',
    },
    {
      indexName: LEDGER_INDEX.byStatus,
      // `STATUS#<status>#<yyyy-mm of updatedAt>`: a month per partition keeps hot statuses spread.
      partitionKey: { name: 'statusPk', type: 'S' },
      sortKey: { name: 'updatedAt', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
};

/** Every key attribute of the table and its indexes, once each: CreateTable's `AttributeDefinitions`. */
export function ledgerAttributeDefinitions(
  schema: LedgerTableSchema = LEDGER_TABLE_SCHEMA,
): LedgerKeyAttribute[] {
  const all = [
    schema.partitionKey,
    schema.sortKey,
    ...schema.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return all.filter((attribute, index) => all.findIndex((other) => other.name === attribute.name) === index);
}
