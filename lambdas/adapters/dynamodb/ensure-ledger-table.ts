import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { ConfigurationError } from '../../core/errors/configuration-error';
import {
  LEDGER_TABLE_SCHEMA,
  type LedgerTableSchema,
  ledgerAttributeDefinitions,
} from './ledger-table-schema';
import { ledgerStoreError } from './ledger-store-error';

export interface EnsureLedgerTableOptions {
  /**
   * How long to wait for the table and its indexes to become ACTIVE.
   * @default 60_000
   */
  readonly timeoutMs?: number;
  /**
   * Pause between two DescribeTable calls while waiting.
   * @default 100
   */
  readonly pollIntervalMs?: number;
}

/** CreateTable's input for the ledger, derived from `LEDGER_TABLE_SCHEMA`. */
export function ledgerCreateTableInput(
  tableName: string,
  schema: LedgerTableSchema = LEDGER_TABLE_SCHEMA,
): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: schema.billingMode,
    AttributeDefinitions: ledgerAttributeDefinitions(schema).map((attribute) => ({
      AttributeName: attribute.name,
      AttributeType: attribute.type,
    })),
    KeySchema: [
      { AttributeName: schema.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: schema.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: schema.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/**
 * Creates the ledger table from `LEDGER_TABLE_SCHEMA` unless it exists, and waits until it and its
 * indexes are ACTIVE. Idempotent, also when two processes race to create it. For local runs and
 * tests; in AWS the CDK stack owns the table (and its TTL, which dynalite does not support).
 * An existing table whose keys or indexes differ from the schema is refused with a ConfigurationError.
 */
export async function ensureLedgerTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureLedgerTableOptions = {},
): Promise<void> {
  if ((await describeTable(client, tableName)) === undefined) {
    try {
      await client.send(new CreateTableCommand(ledgerCreateTableInput(tableName)));
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) {
        throw ledgerStoreError('CreateTable', tableName, error);
      }
    }
  }
  const table = await waitUntilActive(client, tableName, options);
  const mismatch = schemaMismatch(table, LEDGER_TABLE_SCHEMA);
  if (mismatch !== undefined) {
    throw new ConfigurationError(
      `ledger table '${tableName}' exists but does not match the ledger schema: ${mismatch}`,
    );
  }
}

async function describeTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw ledgerStoreError('DescribeTable', tableName, error);
  }
}

async function waitUntilActive(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureLedgerTableOptions,
): Promise<TableDescription> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const table = await describeTable(client, tableName);
    const active =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (table !== undefined && active) return table;
    if (Date.now() >= deadline) {
      throw ledgerStoreError(
        'DescribeTable',
        tableName,
        new Error(
          `expected ACTIVE within ${options.timeoutMs ?? 60_000} ms, got: ${table?.TableStatus ?? 'no table'}`,
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 100));
  }
}

function keysOf(schema: readonly { AttributeName?: string; KeyType?: string }[] | undefined): string {
  return (schema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(',');
}

/** Describes the first difference between a described table and the schema, or undefined. */
export function schemaMismatch(table: TableDescription, schema: LedgerTableSchema): string | undefined {
  const expected = ledgerCreateTableInput(table.TableName ?? '', schema);
  if (keysOf(table.KeySchema) !== keysOf(expected.KeySchema)) {
    return `key schema: expected ${keysOf(expected.KeySchema)}, got: ${keysOf(table.KeySchema)}`;
  }
  for (const index of expected.GlobalSecondaryIndexes ?? []) {
    const found = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === index.IndexName);
    if (found === undefined) return `index '${index.IndexName}': expected it to exist, got: no such index`;
    if (keysOf(found.KeySchema) !== keysOf(index.KeySchema)) {
      return `index '${index.IndexName}': expected keys ${keysOf(index.KeySchema)}, got: ${keysOf(found.KeySchema)}`;
    }
    if (found.Projection?.ProjectionType !== index.Projection?.ProjectionType) {
      return `index '${index.IndexName}': expected projection ${index.Projection?.ProjectionType}, got: ${found.Projection?.ProjectionType}`;
    }
  }
  return undefined;
}
