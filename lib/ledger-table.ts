import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  LEDGER_TABLE_SCHEMA,
  type LedgerKeyAttribute,
  type LedgerTableSchema,
} from '../lambdas/adapters/dynamodb/ledger-table-schema';

export interface LedgerTableProps {
  readonly removalPolicy: RemovalPolicy;
  /** @default LEDGER_TABLE_SCHEMA, the one the DynamoDB adapter reads and writes */
  readonly schema?: LedgerTableSchema;
}

/**
 * The action ledger, built from the same plain-data definition the DynamoDB adapter uses locally,
 * so that keys, indexes and the TTL attribute cannot drift between the two. On demand (bursts at
 * schedule ticks, idle otherwise), point-in-time recovery for the audit trail, and encrypted with the
 * AWS managed key so that key use shows in CloudTrail.
 */
export function createLedgerTable(scope: Construct, id: string, props: LedgerTableProps): dynamodb.Table {
  const schema = props.schema ?? LEDGER_TABLE_SCHEMA;
  const table = new dynamodb.Table(scope, id, {
    partitionKey: toAttribute(schema.partitionKey),
    sortKey: toAttribute(schema.sortKey),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: schema.timeToLiveAttribute,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    removalPolicy: props.removalPolicy,
    // The audit trail refuses a DeleteTable, from the console or a script, until protection is
    // turned off. A stack that asks for DESTROY means it: protection would make its deletion fail.
    deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
  });
  for (const index of schema.globalSecondaryIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: toAttribute(index.partitionKey),
      sortKey: toAttribute(index.sortKey),
      projectionType: dynamodb.ProjectionType[index.projection],
    });
  }
  return table;
}

function toAttribute(attribute: LedgerKeyAttribute): dynamodb.Attribute {
  const type = attribute.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER;
  return { name: attribute.name, type };
}
