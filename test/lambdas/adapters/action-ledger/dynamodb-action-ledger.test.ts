import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbActionLedger } from '../../../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../../../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { ConfigurationError } from '../../../../lambdas/core/errors/configuration-error';
import { DropletSchedulerError } from '../../../../lambdas/core/errors/droplet-scheduler-error';
import { actionKey } from '../../../../lambdas/core/ledger/ledger-keys';
import { LEDGER_TABLE_SCHEMA } from '../../../../lambdas/core/ledger/ledger-table-schema';
import { type RunningDynalite, startDynalite } from '../../../support/dynalite';
import { describeActionLedgerContract } from './action-ledger-contract';

let dynalite: RunningDynalite;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
});

afterAll(async () => {
  await dynalite.close();
});

async function newTable(): Promise<string> {
  tables += 1;
  const tableName = `ledger-${tables}`;
  await ensureLedgerTable(dynalite.client, tableName);
  return tableName;
}

// Three open shards, so that the contract also exercises the fan-out over shards.
describeActionLedgerContract('DynamoDbActionLedger on dynalite', async (options) => {
  return new DynamoDbActionLedger({
    client: dynalite.client,
    tableName: await newTable(),
    openShards: 3,
    ...options,
  });
});

describe('ensureLedgerTable', () => {
  it('creates a table whose keys and indexes are the schema definition', async () => {
    // Act
    const tableName = await newTable();
    // Assess
    const { Table } = await dynalite.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      indexName: index.IndexName,
      keys: index.KeySchema?.map((key) => `${key.AttributeName}:${key.KeyType}`),
      projection: index.Projection?.ProjectionType,
    }));
    expect(indexes.sort((a, b) => String(a.indexName).localeCompare(String(b.indexName)))).toEqual(
      LEDGER_TABLE_SCHEMA.globalSecondaryIndexes
        .map((index) => ({
          indexName: index.indexName,
          keys: [`${index.partitionKey.name}:HASH`, `${index.sortKey.name}:RANGE`],
          projection: index.projection,
        }))
        .sort((a, b) => a.indexName.localeCompare(b.indexName)),
    );
  });

  it('is idempotent, also when several callers race to create the table', async () => {
    await Promise.all(Array.from({ length: 4 }, () => ensureLedgerTable(dynalite.client, 'ledger-race')));
    await expect(ensureLedgerTable(dynalite.client, 'ledger-race')).resolves.toBeUndefined();
  });

  it('refuses an existing table that does not match the schema, saying what differs', async () => {
    // Prepare
    const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    await dynalite.client.send(
      new CreateTableCommand({
        TableName: 'ledger-old',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    // Act and assess
    const error = await ensureLedgerTable(dynalite.client, 'ledger-old').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      "ledger table 'ledger-old' exists but does not match the ledger schema: index 'open': expected it to exist, got: no such index",
    );
  });
});

describe('DynamoDbActionLedger storage', () => {
  it('stores the TTL as a number and keeps the open index attributes only while the item is open', async () => {
    // Prepare
    const tableName = await newTable();
    const ledger = new DynamoDbActionLedger({
      client: dynalite.client,
      tableName,
      now: () => Date.parse('2026-11-27T02:00:05Z'),
    });
    const key = actionKey('weekend-off', '2026-11-27T02:00:00Z', 42);
    const raw = async () =>
      (
        await dynalite.client.send(
          new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
        )
      ).Item;
    await ledger.claimAction({
      policy: 'weekend-off',
      scheduledTime: '2026-11-27T02:00:00Z',
      dropletId: 42,
      type: 'shutdown',
      mode: 'per-droplet',
      dueAt: '2026-11-27T02:02:00Z',
    });
    const open = await raw();
    // Act
    await ledger.markTerminal(key, { status: 'completed' });
    const terminal = await raw();
    // Assess
    expect(open).toMatchObject({
      expiresAt: { N: String(Date.parse('2026-11-27T02:00:05Z') / 1000 + 400 * 86_400) },
      openPk: { S: 'OPEN#0' },
      dueAt: { S: '2026-11-27T02:02:00.000Z' },
      dropletPk: { S: 'DROPLET#42' },
      statusPk: { S: 'STATUS#pending#2026-11' },
    });
    expect(terminal?.openPk).toBeUndefined();
    expect(terminal?.dueAt).toBeUndefined();
    expect(terminal?.statusPk).toEqual({ S: 'STATUS#completed#2026-11' });
  });

  it('translates a DynamoDB failure into the error family, naming the table and operation', async () => {
    // Prepare
    const ledger = new DynamoDbActionLedger({ client: dynalite.client, tableName: 'no-such-table' });
    // Act
    const error = await ledger
      .get(actionKey('p', '2026-11-27T02:00:00Z', 1))
      .catch((reason: unknown) => reason);
    // Assess
    expect(error).toBeInstanceOf(DropletSchedulerError);
    expect(error).toMatchObject({ code: 'ledger_unavailable' });
    expect((error as Error).message).toMatch(
      /^DynamoDB GetItem on table 'no-such-table' failed: ResourceNotFoundException/,
    );
  });

  it('requires a table name', () => {
    expect(() => new DynamoDbActionLedger({ client: dynalite.client, tableName: '' })).toThrow(
      'tableName: expected a DynamoDB table name, got: ""',
    );
  });
});

describe('startDynalite', () => {
  it('given a path, keeps the ledger across a restart', async () => {
    // Prepare
    const directory = await mkdtemp(join(tmpdir(), 'ledger-'));
    const claim = {
      policy: 'nightly',
      scheduledTime: '2026-11-27T02:00:00Z',
      dropletId: 7,
      type: 'snapshot' as const,
      mode: 'per-droplet' as const,
      dueAt: '2026-11-27T02:02:00Z',
    };
    try {
      const first = await startDynalite({ path: directory });
      await ensureLedgerTable(first.client, 'ledger');
      const claimed = await new DynamoDbActionLedger({
        client: first.client,
        tableName: 'ledger',
      }).claimAction(claim);
      await first.close();
      // Act
      const second = await startDynalite({ path: directory });
      try {
        await ensureLedgerTable(second.client, 'ledger');
        const ledger = new DynamoDbActionLedger({ client: second.client, tableName: 'ledger' });
        // Assess
        expect(await ledger.get(actionKey('nightly', claim.scheduledTime, 7))).toEqual(
          claimed.claimed ? claimed.record : undefined,
        );
        expect(await ledger.claimAction(claim)).toMatchObject({ claimed: false });
      } finally {
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
