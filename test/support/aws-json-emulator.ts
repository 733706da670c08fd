import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startHttpTestServer, type HttpTestServer } from './http-test-server';

/** A message as SQS would hold it after `SendMessage` or `SendMessageBatch`. */
export interface EmulatedMessage {
  readonly queueUrl: string;
  readonly messageId: string;
  readonly body: string;
  readonly delaySeconds?: number;
}

/** An entry `PutEvents` accepted. */
export interface EmulatedEvent {
  readonly eventId: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly eventBusName?: string;
}

export interface AwsJsonEmulator {
  /** `http://127.0.0.1:<port>`: the endpoint for all three services. */
  readonly url: string;
  readonly messages: readonly EmulatedMessage[];
  readonly events: readonly EmulatedEvent[];
  /** Every `X-Amz-Target` received, in order, e.g. `AmazonSQS.SendMessageBatch`. */
  readonly operations: readonly string[];
  close(): Promise<void>;
}

export interface AwsJsonEmulatorOptions {
  /** Secret values by the `SecretId` the caller sends (the ARN or the name). */
  readonly secrets: Readonly<Record<string, string>>;
}

/**
 * A small stand-in for the three AWS services our Lambda handlers call besides DynamoDB, over the
 * same AWS JSON protocols the SDK speaks (a POST to `/` with `X-Amz-Target`): SQS `SendMessage` and
 * `SendMessageBatch` (JSON 1.0), Secrets Manager `GetSecretValue` and EventBridge `PutEvents` (JSON
 * 1.1). It keeps what it was sent, for a test to read. Any other operation is answered with AWS's
 * `UnknownOperationException`, so that a handler calling something new fails the test loudly.
 * Signatures are not checked.
 */
export async function startAwsJsonEmulator(options: AwsJsonEmulatorOptions): Promise<AwsJsonEmulator> {
  const messages: EmulatedMessage[] = [];
  const events: EmulatedEvent[] = [];
  const operations: string[] = [];

  const server: HttpTestServer = await startHttpTestServer((request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    operations.push(target);
    const input = (request.body === '' ? {} : JSON.parse(request.body)) as Record<string, unknown>;
    const version = target.startsWith('AmazonSQS.') ? '1.0' : '1.1';
    switch (target) {
      case 'AmazonSQS.SendMessage': {
        const message = enqueue(String(input.QueueUrl), input);
        return reply(response, version, {
          MessageId: message.messageId,
          MD5OfMessageBody: md5(message.body),
        });
      }
      case 'AmazonSQS.SendMessageBatch': {
        const entries = input.Entries as Record<string, unknown>[];
        const successful = entries.map((entry) => {
          const message = enqueue(String(input.QueueUrl), entry);
          return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: md5(message.body) };
        });
        return reply(response, version, { Successful: successful, Failed: [] });
      }
      case 'secretsmanager.GetSecretValue': {
        const secretId = String(input.SecretId);
        const value = options.secrets[secretId];
        if (value === undefined) {
          return fail(
            response,
            version,
            400,
            'ResourceNotFoundException',
            `Secrets Manager can't find ${secretId}`,
          );
        }
        return reply(response, version, {
          ARN: secretId,
          Name: secretId.split(':').pop(),
          SecretString: value,
          VersionId: '00000000-0000-0000-0000-000000000001',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_790_000_000,
        });
      }
      case 'AWSEvents.PutEvents': {
        const entries = (input.Entries as Record<string, unknown>[]).map((entry) => {
          const event: EmulatedEvent = {
            eventId: randomUUID(),
            source: String(entry.Source),
            detailType: String(entry.DetailType),
            detail: JSON.parse(String(entry.Detail)),
            eventBusName: entry.EventBusName === undefined ? undefined : String(entry.EventBusName),
          };
          events.push(event);
          return { EventId: event.eventId };
        });
        return reply(response, version, { FailedEntryCount: 0, Entries: entries });
      }
      default:
        return fail(
          response,
          version,
          400,
          'UnknownOperationException',
          `not emulated: ${target || 'no X-Amz-Target'}`,
        );
    }
  });

  function enqueue(queueUrl: string, entry: Record<string, unknown>): EmulatedMessage {
    const message: EmulatedMessage = {
      queueUrl,
      messageId: randomUUID(),
      body: String(entry.MessageBody),
      ...(entry.DelaySeconds === undefined ? {} : { delaySeconds: Number(entry.DelaySeconds) }),
    };
    messages.push(message);
    return message;
  }

  return {
    url: server.url,
    messages,
    events,
    operations,
    close: () => server.close(),
  };
}

function reply(response: ServerResponse, version: string, body: unknown): void {
  response.writeHead(200, {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify(body));
}

function fail(
  response: ServerResponse,
  version: string,
  status: number,
  type: string,
  message: string,
): void {
  response.writeHead(status, {
    'content-type': `application/x-amz-json-${version}`,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify({ __type: type, message }));
}

/** SQS answers with the body's MD5, and the SDK checks it. */
function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
