import { SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { SqsWorkQueue } from '../../../../lambdas/adapters/sqs/sqs-work-queue';
import { QueueSendError } from '../../../../lambdas/core/errors/queue-send-error';
import { describeWorkQueueContract } from './work-queue-contract';

// There is no local SQS: the SDK client is stubbed at its `send`, and the tests check what would go on the wire.
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/work';

function acceptingHarness() {
  const sqs = mockClient(SQSClient);
  const accepted: SendMessageBatchRequestEntry[] = [];
  sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: SendMessageBatchRequestEntry[] }) => {
    accepted.push(...input.Entries);
    return { Successful: input.Entries.map((entry) => ({ Id: entry.Id })), Failed: [] };
  });
  return {
    sqs,
    accepted,
    queue: new SqsWorkQueue<unknown>({ client: new SQSClient({}), queueUrl: QUEUE_URL }),
  };
}

describeWorkQueueContract('SqsWorkQueue', () => {
  const { queue, accepted } = acceptingHarness();
  return {
    queue,
    received: () =>
      accepted.map((entry) => ({
        item: JSON.parse(entry.MessageBody ?? 'null'),
        delaySeconds: entry.DelaySeconds ?? 0,
      })),
  };
});

describe('SqsWorkQueue', () => {
  it('sends at most ten entries per SendMessageBatch, to the configured queue', async () => {
    const { sqs, queue } = acceptingHarness();

    await queue.send(Array.from({ length: 23 }, (_, index) => ({ dropletId: index })));

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((call) => call.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
  });

  it('resends only the entries SQS refused', async () => {
    const sqs = mockClient(SQSClient);
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: [{ Id: '0', MessageId: 'a', MD5OfMessageBody: '' }],
        Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }],
      })
      .resolves({ Successful: [{ Id: '1', MessageId: 'b', MD5OfMessageBody: '' }], Failed: [] });
    const queue = new SqsWorkQueue<unknown>({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    await queue.send([{ dropletId: 1 }, { dropletId: 2 }]);

    const second = sqs.commandCalls(SendMessageBatchCommand)[1]?.args[0].input.Entries;
    expect(second?.map((entry) => JSON.parse(entry.MessageBody ?? ''))).toEqual([{ dropletId: 2 }]);
  });

  it('fails the send, naming the count, when SQS keeps refusing', async () => {
    const sqs = mockClient(SQSClient);
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: false, Code: 'ServiceUnavailable' }] });
    const queue = new SqsWorkQueue<unknown>({
      client: new SQSClient({}),
      queueUrl: QUEUE_URL,
      maxAttempts: 2,
    });

    await expect(queue.send([{ dropletId: 1 }])).rejects.toThrow(
      new QueueSendError(1, 'ServiceUnavailable: undefined').message,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
  });

  it('fails at once on a sender fault, which a resend cannot mend', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidParameterValue', Message: 'too big' }],
    });
    const queue = new SqsWorkQueue<unknown>({ client: new SQSClient({}), queueUrl: QUEUE_URL });

    await expect(queue.send([{ dropletId: 1 }])).rejects.toBeInstanceOf(QueueSendError);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('caps a delay at the SQS maximum of 900 seconds', async () => {
    const { accepted, queue } = acceptingHarness();
    await queue.send([{ dropletId: 1 }], { delaySeconds: 5_000 });
    expect(accepted[0]?.DelaySeconds).toBe(900);
  });
});
