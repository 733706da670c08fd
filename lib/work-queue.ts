import { Duration } from 'aws-cdk-lib';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue, createSecureQueue } from './secure-queue';

/**
 * Receives after which a work item moves to the dead-letter queue. Initiate reports each failed item
 * of a batch on its own; five tries ride out a DigitalOcean outage of several minutes without
 * letting a poisoned item circle for ever.
 */
export const WORK_QUEUE_MAX_RECEIVE_COUNT = 5;

/** AWS's advice for SQS event sources: the visibility timeout is at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

export interface WorkQueueProps {
  /** The consuming function's timeout; the visibility timeout is six times it. */
  readonly consumerTimeout: Duration;
}

/** The queue of per-droplet work items between dispatch and initiate, with its dead-letter queue. */
export class WorkQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    super(scope, id);
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = createSecureQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: WORK_QUEUE_MAX_RECEIVE_COUNT },
    });
  }
}
