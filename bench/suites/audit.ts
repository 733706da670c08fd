import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbActionLedger } from '../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { toItem } from '../../lambdas/adapters/dynamodb/ledger-layout';
import { startDynalite } from '../../lambdas/adapters/local/start-dynalite';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { idOf } from '../../lambdas/core/ledger/item-id';
import type { LedgerStatus } from '../../lambdas/core/ledger/ledger-status';
import type { BenchSuite } from '../figure';

const ITEMS = 100_000;
const DROPLETS = 2_000;
const POLICIES = ['nightly', 'weekend-off', 'monday-on', 'office-on', 'office-off'];
const QUERIES = 200;
const TABLE = 'audit-bench';
const DAY = 86_400_000;
const START = Date.parse('2026-08-01T00:00:00.000Z');

/**
 * `audit.query_p95_ms`: the 95th percentile time of the audit command's two questions over a
 * 100,000-item ledger on dynalite: "what happened to droplet D last week" (the by-droplet index)
 * and "which actions failed last week" (the by-status index, one query per failure status),
 * each the first page of up to 100 records, as `audit` asks for them.
 */
export const auditSuite: BenchSuite = async (record) => {
  const dynalite = await startDynalite();
  try {
    await ensureLedgerTable(dynalite.client, TABLE);
    await seed(dynalite.client);
    const ledger = new DynamoDbActionLedger({ client: dynalite.client, tableName: TABLE });
    const to = new Date(START + 118 * DAY).toISOString();
    const from = new Date(START + 111 * DAY).toISOString();
    const timings: number[] = [];
    for (let query = 0; query < QUERIES; query += 1) {
      const started = performance.now();
      if (query % 2 === 0) {
        await ledger.queryByDroplet(1 + ((query * 7919) % DROPLETS), { from, to, limit: 100 });
      } else {
        for (const status of ['errored', 'timed-out', 'rejected'] as const) {
          await ledger.queryByStatus(status, { from, to, limit: 100 });
        }
      }
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    record({
      name: 'audit.query_p95_ms',
      value: timings[Math.floor(0.95 * timings.length)] ?? 0,
      unit: 'ms',
      goal: { max: 100 },
    });
    record({ name: 'audit.query_p50_ms', value: timings[Math.floor(0.5 * timings.length)] ?? 0, unit: 'ms' });
  } finally {
    await dynalite.close();
  }
};

/**
 * 100,000 finished actions over four months: five policies, 2,000 droplets, one tick a day each,
 * about 3% failed. Loaded with BatchWriteItem in the adapter's own item layout (the bench
 * measures queries, not the conditional writes that produced the items).
 */
async function seed(client: Parameters<typeof ensureLedgerTable>[0]): Promise<void> {
  const items: Record<string, unknown>[] = [];
  for (let index = 0; index < ITEMS; index += 1) {
    const policy = POLICIES[index % POLICIES.length] as string;
    const day = Math.floor(index / (DROPLETS / 2)) % 120;
    const dropletId = 1 + (index % DROPLETS);
    const scheduledTime = new Date(START + day * DAY + (index % POLICIES.length) * 3_600_000).toISOString();
    const status: LedgerStatus =
      index % 97 === 0
        ? 'errored'
        : index % 89 === 0
          ? 'timed-out'
          : index % 83 === 0
            ? 'rejected'
            : 'completed';
    const at = new Date(Date.parse(scheduledTime) + 60_000).toISOString();
    const action: ActionRecord = {
      kind: 'action',
      version: 3,
      policy,
      scheduledTime,
      dropletId,
      dropletName: `droplet-${dropletId}`,
      type: 'reboot',
      mode: 'per-droplet',
      status,
      actionId: 10_000_000 + index,
      startedAt: at,
      completedAt: at,
      attempts: 1,
      claimedAt: scheduledTime,
      updatedAt: at,
      expiresAt: Math.floor(Date.parse(scheduledTime) / 1000) + 400 * 86_400,
    };
    items.push(toItem(action, idOf(action)));
  }
  const batches: Record<string, unknown>[][] = [];
  for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as Record<string, unknown>[];
        let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
        for (let attempt = 0; attempt < 10 && requests.length > 0; attempt += 1) {
          const output = await documents.send(new BatchWriteCommand({ RequestItems: { [TABLE]: requests } }));
          requests = (output.UnprocessedItems?.[TABLE] ?? []) as typeof requests;
        }
      }
    }),
  );
}
