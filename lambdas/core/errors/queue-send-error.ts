import { DropletSchedulerError } from './droplet-scheduler-error';

/** Work items the queue did not accept after the retries; the dispatch must fail so that its tick is retried. */
export class QueueSendError extends DropletSchedulerError {
  override name = 'QueueSendError' as const;

  constructor(
    readonly failedCount: number,
    reason: string,
  ) {
    super(
      'queue_send_failed',
      `expected every work item to be queued, but ${failedCount} were refused: ${reason}`,
    );
  }
}
