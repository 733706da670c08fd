import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { LEDGER_TABLE_SCHEMA } from '../lambdas/adapters/dynamodb/ledger-table-schema';

/**
 * Explicit statements rather than CDK's `grant*` methods where those over-grant: `grantReadWriteData`
 * adds BatchWriteItem, DeleteItem and Scan on `index/*`; `grantRead` on a secret adds DescribeSecret.
 * Each function gets what its adapters call, on named resources.
 */

/** A DynamoDB action our ledger adapter calls. */
export type LedgerAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:Query';

/**
 * The table actions on the table; `Query` also on each index, named one by one from the schema
 * (no `index/*`), unless `indexes` is false: a function that queries only the table's own keys.
 */
export function allowLedger(
  role: iam.IRole,
  table: dynamodb.ITable,
  actions: readonly LedgerAction[],
  options: { readonly indexes?: boolean } = {},
): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...actions], resources: [table.tableArn] }));
  if (actions.includes('dynamodb:Query') && options.indexes !== false) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.map(
          (index) => `${table.tableArn}/index/${index.indexName}`,
        ),
      }),
    );
  }
}

/**
 * The ARN IAM must name for a secret. A secret referenced by name has no full ARN at synth: Secrets
 * Manager appends `-` and six random characters to every secret's ARN, so the policy names the
 * partial ARN followed by exactly six single-character wildcards (`-??????`), which matches that one
 * secret and not `<name>-suffix` look-alikes with longer tails.
 */
export function secretResourceArn(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

/** `secretsmanager:GetSecretValue` on the token's secret, nothing else. */
export function allowTokenRead(role: iam.IRole, secret: secretsmanager.ISecret): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretResourceArn(secret)],
    }),
  );
  // A secret encrypted with a customer managed key also needs kms:Decrypt on that key.
  secret.encryptionKey?.grantDecrypt(role);
}

/** `events:PutEvents` on the one bus. */
export function allowPutEvents(role: iam.IRole, bus: events.IEventBus): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
  );
}

/** `sqs:SendMessage` (which also covers SendMessageBatch) on the one queue. */
export function allowSendMessages(role: iam.IRole, queue: sqs.IQueue): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
  );
}
