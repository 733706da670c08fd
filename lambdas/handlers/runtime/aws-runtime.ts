import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DigitalOceanClient, RateLimiter, digitalOceanWindows } from '../../adapters/digitalocean';
import { DynamoDbActionLedger } from '../../adapters/dynamodb/dynamodb-action-ledger';
import { EventBridgeEventPublisher } from '../../adapters/eventbridge/eventbridge-event-publisher';
import { SecretsManagerTokenSource } from '../../adapters/secrets/secrets-manager-token-source';
import { SqsWorkQueue } from '../../adapters/sqs/sqs-work-queue';
import { countingDropletApi } from '../../core/metrics/counting-droplet-api';
import type { InitiateWorkItem } from '../../core/use-cases/initiate-work-item';
import type { UseCaseDependencies } from '../../core/use-cases/use-case-dependencies';
import { Timing } from '../../core/state/timing';
import { parseLambdaEnvironment, parseTeamScopeVariable } from './lambda-environment';

/** The use cases' ports in AWS, plus a count of the DigitalOcean requests made through them. */
export interface AwsRuntime extends UseCaseDependencies {
  readonly apiRequests: () => number;
}

let runtime: Promise<AwsRuntime> | undefined;

/**
 * Builds the ports once per cold start: the environment is parsed (and refused whole if anything
 * is missing), the token read from Secrets Manager, and the SDK clients created outside the
 * handler so that warm invocations reuse their connections. A failed start is not cached, so the
 * next invocation tries again.
 */
export function awsRuntime(): Promise<AwsRuntime> {
  runtime ??= buildAwsRuntime().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function buildAwsRuntime(): Promise<AwsRuntime> {
  const env = parseLambdaEnvironment([
    'tableName',
    'workQueueUrl',
    'tokenSecretArn',
    'eventBusName',
    'apiUrl',
    'auditRetentionDays',
    'rateShare',
  ]);
  const teamScope = parseTeamScopeVariable();
  const token = await new SecretsManagerTokenSource({
    client: new SecretsManagerClient({}),
    secretId: env.tokenSecretArn,
  }).getToken();
  // A Lambda must not sit out an exhausted hourly budget: past a minute's wait the client refuses
  // with a RateLimitedError and initiate puts the item back on the queue with that delay.
  // Every instance paces itself; the construct gives each initiate instance its share of the
  // token's limits, so that together they stay under them.
  const rateLimiter = new RateLimiter({
    windows: digitalOceanWindows(1, {
      perMinute: Math.max(1, Math.floor(250 * env.rateShare)),
      perHour: Math.max(1, Math.floor(5000 * env.rateShare)),
    }),
  });
  const timing = new Timing();
  const counted = countingDropletApi(
    new DigitalOceanClient({
      token,
      baseUrl: env.apiUrl,
      maxQueueWaitMs: 60_000,
      timeoutMs: timing.clientTimeoutMs,
      rateLimiter,
    }),
  );
  return {
    api: counted.api,
    apiRequests: counted.count,
    ledger: new DynamoDbActionLedger({
      client: new DynamoDBClient({}),
      tableName: env.tableName,
      auditRetentionDays: env.auditRetentionDays,
    }),
    queue: new SqsWorkQueue<InitiateWorkItem>({ client: new SQSClient({}), queueUrl: env.workQueueUrl }),
    events: new EventBridgeEventPublisher({
      client: new EventBridgeClient({}),
      eventBusName: env.eventBusName,
    }),
    now: () => new Date(),
    timing,
    ...(teamScope ? { teamScope } : {}),
  };
}
