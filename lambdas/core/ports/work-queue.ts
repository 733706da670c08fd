/**
 * The fan-out queue between dispatch and initiate: SQS in AWS, an in-memory queue locally.
 * Delivery is at least once, so every consumer of an item must be idempotent.
 */
export interface WorkQueue<T> {
  /**
   * Enqueues items; they become visible after `delaySeconds`.
   * Resolves only when every item is accepted, so that a dispatch that returns has lost nothing.
   */
  send(items: readonly T[], options?: SendOptions): Promise<void>;
}

export interface SendOptions {
  /**
   * Seconds before the items become visible; SQS allows at most 900.
   * @default 0
   */
  readonly delaySeconds?: number;
}

/** SQS's own ceiling on a message delay; a longer wait is reached by re-queueing again. */
export const MAX_DELAY_SECONDS = 900;
