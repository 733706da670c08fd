import { randomUUID } from 'node:crypto';
import type { SendOptions, WorkQueue } from '../../core/ports/work-queue';

export interface InMemoryWorkQueueOptions<T = unknown> {
  /**
   * Milliseconds since the epoch; injectable so that tests and time-scaled runs control delays.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Multiplies every delay, so that a time-scaled local run does not wait real minutes.
   * @default 1
   */
  readonly delayScale?: number;
  /**
   * Deliveries of one item before it moves to `deadLetters`, as an SQS redrive policy would.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds a failed item stays invisible before it is delivered again (the SQS visibility timeout).
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Records sends and completions so that a restarted process can pick up what was queued.
   * @default none: the queue lives and dies with the process
   */
  readonly journal?: WorkQueueJournal<T>;
  /** Items a previous process queued and never finished, delivered again at once. */
  readonly restored?: readonly JournalEntry<T>[];
}

/** A queued item as a journal records it. */
export interface JournalEntry<T> {
  readonly id: string;
  readonly item: T;
}

/**
 * Where a durable queue writes what it accepts and what it has finished, so that items survive a
 * crash of the process (see `openFileQueueJournal`). The in-memory queue calls it synchronously,
 * before `send` resolves and after a handler succeeds.
 */
export interface WorkQueueJournal<T> {
  sent(entries: readonly JournalEntry<T>[]): void;
  removed(id: string): void;
}

interface Envelope<T> {
  readonly id: string;
  readonly item: T;
  visibleAt: number;
  receiveCount: number;
}

/**
 * The local `WorkQueue`: at least once, with delays, redelivery after a failure and a dead-letter
 * list, like the SQS queue it stands in for. Items are copied through JSON on the way in, so that a
 * handler can never rely on sharing an object with the sender, as it could not over SQS.
 */
export class InMemoryWorkQueue<T> implements WorkQueue<T> {
  readonly deadLetters: T[] = [];
  private readonly envelopes: Envelope<T>[] = [];
  private readonly now: () => number;
  private readonly delayScale: number;
  private readonly maxReceiveCount: number;
  private readonly visibilityTimeoutMs: number;
  private readonly journal?: WorkQueueJournal<T>;

  constructor(options: InMemoryWorkQueueOptions<T> = {}) {
    this.now = options.now ?? Date.now;
    this.delayScale = options.delayScale ?? 1;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.visibilityTimeoutMs = (options.visibilityTimeoutSeconds ?? 30) * 1000;
    this.journal = options.journal;
    const now = this.now();
    for (const { id, item } of options.restored ?? [])
      this.envelopes.push({ id, item, visibleAt: now, receiveCount: 0 });
  }

  async send(items: readonly T[], options: SendOptions = {}): Promise<void> {
    const visibleAt = this.now() + (options.delaySeconds ?? 0) * 1000 * this.delayScale;
    const added = items.map((item) => ({
      id: randomUUID(),
      item: JSON.parse(JSON.stringify(item)) as T,
      visibleAt,
      receiveCount: 0,
    }));
    this.journal?.sent(added.map(({ id, item }) => ({ id, item })));
    this.envelopes.push(...added);
  }

  /** Items waiting, visible or not. */
  get size(): number {
    return this.envelopes.length;
  }

  /** What waits, in order, with when each becomes visible; for status lines and tests. */
  waiting(): { readonly item: T; readonly visibleAt: number; readonly receiveCount: number }[] {
    return this.envelopes.map(({ item, visibleAt, receiveCount }) => ({ item, visibleAt, receiveCount }));
  }

  /** When the next invisible item becomes visible, or undefined when none waits. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const envelope of this.envelopes) next = Math.min(next ?? Infinity, envelope.visibleAt);
    return next;
  }

  /**
   * Delivers up to `max` visible items to `handler`, concurrently. A handler that throws leaves its
   * item for redelivery after the visibility timeout, or dead-letters it after `maxReceiveCount`.
   * Returns how many deliveries were made.
   */
  async deliver(handler: (item: T) => Promise<void>, max = 10): Promise<number> {
    const now = this.now();
    const batch = this.envelopes.filter((envelope) => envelope.visibleAt <= now).slice(0, max);
    for (const envelope of batch) {
      envelope.receiveCount += 1;
      envelope.visibleAt = now + this.visibilityTimeoutMs * this.delayScale;
    }
    await Promise.all(
      batch.map(async (envelope) => {
        try {
          await handler(envelope.item);
          this.remove(envelope);
        } catch (error) {
          if (envelope.receiveCount >= this.maxReceiveCount) {
            this.remove(envelope);
            this.deadLetters.push(envelope.item);
          }
          this.onHandlerError?.(error, envelope.item);
        }
      }),
    );
    return batch.length;
  }

  /** Called with each handler failure, for logging; the item stays queued. */
  onHandlerError?: (error: unknown, item: T) => void;

  private remove(envelope: Envelope<T>): void {
    const index = this.envelopes.indexOf(envelope);
    if (index >= 0) this.envelopes.splice(index, 1);
    this.journal?.removed(envelope.id);
  }
}
