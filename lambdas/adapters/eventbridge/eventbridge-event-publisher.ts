import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { EventPublishError } from '../../core/errors/event-publish-error';
import { EVENT_SOURCE, type SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';

export interface EventBridgeEventPublisherOptions {
  readonly client: EventBridgeClient;
  /** The bus's name or ARN; required, from the Lambda environment. */
  readonly eventBusName: string;
  /**
   * Attempts for the entries PutEvents refuses (throttling, internal failures).
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Milliseconds before the first resend; doubled after each.
   * @default 100
   */
  readonly retryDelayMs?: number;
}

/** PutEvents accepts at most ten entries per call. */
const BATCH_SIZE = 10;

/**
 * The deployed `EventPublisher`. PutEvents can accept part of a batch: its answer lists a result
 * per entry, in order, so only the refused entries are sent again.
 */
export class EventBridgeEventPublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;

  constructor(private readonly options: EventBridgeEventPublisherOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async publish(events: readonly SchedulerEvent[]): Promise<void> {
    const entries = events.map((event) => this.toEntry(event));
    const failures: { detailType: string; reason: string }[] = [];
    for (let start = 0; start < entries.length; start += BATCH_SIZE) {
      failures.push(...(await this.putBatch(entries.slice(start, start + BATCH_SIZE))));
    }
    if (failures.length > 0) throw new EventPublishError(failures);
  }

  private toEntry(event: SchedulerEvent): PutEventsRequestEntry {
    return {
      Source: EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      EventBusName: this.options.eventBusName,
    };
  }

  private async putBatch(batch: PutEventsRequestEntry[]): Promise<{ detailType: string; reason: string }[]> {
    let pending = batch;
    let refused: { entry: PutEventsRequestEntry; reason: string }[] = [];
    for (let attempt = 1; attempt <= this.maxAttempts && pending.length > 0; attempt += 1) {
      if (attempt > 1)
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * 2 ** (attempt - 2)));
      const result = await this.options.client.send(new PutEventsCommand({ Entries: pending }));
      if (!result.FailedEntryCount) return [];
      refused = pending.flatMap((entry, index) => {
        const outcome = result.Entries?.[index];
        return outcome?.ErrorCode
          ? [{ entry, reason: `${outcome.ErrorCode}: ${outcome.ErrorMessage ?? ''}` }]
          : [];
      });
      pending = refused.map(({ entry }) => entry);
    }
    return refused.map(({ entry, reason }) => ({ detailType: entry.DetailType ?? '', reason }));
  }
}
