import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueSendError } from '../../core/errors/queue-send-error';
import { MAX_DELAY_SECONDS, type SendOptions, type WorkQueue } from '../../core/ports/work-queue';

export interface SqsWorkQueueOptions {
  readonly client: SQSClient;
  /** The work queue's URL; required, from the Lambda environment. */
  readonly queueUrl: string;
  /**
   * Attempts for entries SQS refuses for a reason of its own (not a sender fault).
   * @default 3
   */
  readonly maxAttempts?: number;
}

/** SQS accepts at most ten entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/** The deployed `WorkQueue`: SendMessageBatch by ten, resending only the entries SQS refused. */
export class SqsWorkQueue<T> implements WorkQueue<T> {
  private readonly maxAttempts: number;

  constructor(private readonly options: SqsWorkQueueOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  async send(items: readonly T[], options: SendOptions = {}): Promise<void> {
    const delaySeconds = Math.min(Math.max(Math.round(options.delaySeconds ?? 0), 0), MAX_DELAY_SECONDS);
    const batches: T[][] = [];
    for (let start = 0; start < items.length; start += BATCH_SIZE)
      batches.push(items.slice(start, start + BATCH_SIZE));
    await Promise.all(batches.map((batch) => this.sendBatch(batch, delaySeconds)));
  }

  private async sendBatch(batch: readonly T[], delaySeconds: number): Promise<void> {
    let pending = batch.map((item, index) => ({ Id: String(index), MessageBody: JSON.stringify(item) }));
    let lastReason = '';
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt += 1) {
      const result = await this.options.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.options.queueUrl,
          Entries: pending.map((entry) => ({ ...entry, DelaySeconds: delaySeconds })),
        }),
      );
      const failed = result.Failed ?? [];
      const senderFaults = failed.filter((entry) => entry.SenderFault);
      if (senderFaults.length > 0) {
        // A sender fault (too large, malformed) fails the same way every time: say so at once.
        throw new QueueSendError(
          senderFaults.length,
          `${senderFaults[0]?.Code}: ${senderFaults[0]?.Message}`,
        );
      }
      const failedIds = new Set(failed.map((entry) => entry.Id));
      lastReason = failed.map((entry) => `${entry.Code}: ${entry.Message}`)[0] ?? '';
      pending = pending.filter((entry) => failedIds.has(entry.Id));
    }
    if (pending.length > 0) throw new QueueSendError(pending.length, lastReason);
  }
}
