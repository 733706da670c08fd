import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDbActionLedger,
  MAX_FILTERED_READS_PER_PAGE,
} from '../../../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../../../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { ConfigurationError } from '../../../../lambdas/core/errors/configuration-error';
import { DropletSchedulerError } from '../../../../lambdas/core/errors/droplet-scheduler-error';
import { actionId } from '../../../../lambdas/core/ledger/item-id';
import { tableKey } from '../../../../lambdas/adapters/dynamodb/ledger-layout';
import { commit } from '../../../../lambdas/core/state/commit';
import { Timing } from '../../../../lambdas/core/state/timing';
import type { NewAction } from '../../../../lambdas/core/state/new-item';
import { DynaliteLedger } from '../../../../lambdas/adapters/local/dynalite-ledger';
import { LEDGER_TABLE_SCHEMA } from '../../../../lambdas/adapters/dynamodb/ledger-table-schema';
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

// The production adapter, as it would run against DynamoDB, and the local one with dynalite's workarounds.
describeActionLedgerContract('DynamoDbActionLedger on dynalite', async (options) => {
  return new DynamoDbActionLedger({ client: dynalite.client, tableName: await newTable(), ...options });
});

describeActionLedgerContract('DynaliteLedger', async (options) => {
  return new DynaliteLedger({ client: dynalite.client, tableName: await newTable(), ...options });
});

const claim: NewAction = {
  kind: 'action',
  policy: 'weekend-off',
  scheduledTime: '2026-11-27T02:00:00Z',
  dropletId: 42,
  type: 'shutdown',
  mode: 'per-droplet',
};

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
    const id = actionId('weekend-off', '2026-11-27T02:00:00Z', 42);
    const key = tableKey(id);
    const raw = async () =>
      (
        await dynalite.client.send(
          new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
        )
      ).Item;
    const deps = { ledger, now: () => new Date('2026-11-27T02:00:05Z'), timing: new Timing() };
    const claimed = await commit(deps, id, { type: 'claim', init: claim });
    const open = await raw();
    // Act
    const attempts = claimed.ok ? (claimed.item as { attempts: number }).attempts : 0;
    await commit(deps, id, { type: 'skip', attempts, reason: 'droplet already off' });
    const skipped = await raw();
    await commit(deps, id, { type: 'effects-done', done: ['event'] });
    const done = await raw();
    // Assess
    expect(open).toMatchObject({
      expiresAt: { N: String(Date.parse('2026-11-27T02:00:05Z') / 1000 + 400 * 86_400) },
      openPk: { S: 'OPEN' },
      dueAt: { S: '2026-11-27T02:00:52.000Z' },
      dropletPk: { S: 'DROPLET#42' },
      statusPk: { S: 'STATUS#pending#2026-11' },
    });
    expect(skipped?.openPk).toEqual({ S: 'OPEN' });
    expect(done?.openPk).toBeUndefined();
    expect(done?.dueAt).toBeUndefined();
    expect(done?.statusPk).toEqual({ S: 'STATUS#skipped#2026-11' });
  });

  it("given a team's one due item behind 25 of another team's, when a scoped page of 1 is asked, then each page stops after a bounded number of reads and paging on finds it", async () => {
    // Prepare: each item due a second after the one before, web-shop's last.
    const tableName = await newTable();
    const ledger = new DynamoDbActionLedger({ client: dynalite.client, tableName });
    const base = Date.parse('2026-11-27T02:00:05Z');
    for (let index = 0; index <= 25; index += 1) {
      const init: NewAction = { ...claim, dropletId: 100 + index, team: index === 25 ? 'web-shop' : 'data' };
      const now = () => new Date(base + index * 1000);
      await commit(
        { ledger, now, timing: new Timing() },
        actionId(init.policy, init.scheduledTime, init.dropletId),
        {
          type: 'claim',
          init,
        },
      );
    }
    const teams = { only: ['web-shop'] };
    // Act
    const first = await ledger.findOpenDue('2026-11-28T00:00:00Z', { limit: 1, teams });
    const found: number[] = [];
    let cursor = first.cursor;
    for (let page = 0; cursor !== undefined && page < 10; page += 1) {
      const next = await ledger.findOpenDue('2026-11-28T00:00:00Z', { limit: 1, cursor, teams });
      found.push(...next.items.map((item) => (item as { dropletId: number }).dropletId));
      cursor = next.cursor;
    }
    // Assess: a Limit of 1 evaluates one item a read, so the first page saw only the first ten.
    expect(MAX_FILTERED_READS_PER_PAGE).toBe(10);
    expect(first.items).toEqual([]);
    expect(first.cursor).toBeDefined();
    expect(found).toEqual([125]);
    expect(cursor).toBeUndefined();
  });

  it('translates a DynamoDB failure into the error family, naming the table and operation', async () => {
    // Prepare
    const ledger = new DynamoDbActionLedger({ client: dynalite.client, tableName: 'no-such-table' });
    // Act
    const error = await ledger
      .get(actionId('p', '2026-11-27T02:00:00Z', 1))
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
    const init: NewAction = { ...claim, policy: 'nightly', dropletId: 7, type: 'snapshot' };
    const id = actionId('nightly', init.scheduledTime, 7);
    try {
      const first = await startDynalite({ path: directory });
      await ensureLedgerTable(first.client, 'ledger');
      const firstLedger = new DynamoDbActionLedger({ client: first.client, tableName: 'ledger' });
      const claimed = await commit({ ledger: firstLedger, now: () => new Date(), timing: new Timing() }, id, {
        type: 'claim',
        init,
      });
      await first.close();
      // Act
      const second = await startDynalite({ path: directory });
      try {
        await ensureLedgerTable(second.client, 'ledger');
        const ledger = new DynamoDbActionLedger({ client: second.client, tableName: 'ledger' });
        // Assess
        expect(await ledger.get(id)).toEqual(claimed.ok ? claimed.item : undefined);
        const again = await commit({ ledger, now: () => new Date(), timing: new Timing() }, id, {
          type: 'claim',
          init,
        });
        expect(again.ok).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
