import { DropletSchedulerError } from './droplet-scheduler-error';

/** Some events were not accepted after the retries; each failure names its event and the reason. */
export class EventPublishError extends DropletSchedulerError {
  override name = 'EventPublishError' as const;

  readonly failures: readonly { readonly detailType: string; readonly reason: string }[];

  constructor(failures: readonly { readonly detailType: string; readonly reason: string }[]) {
    const first = failures[0];
    super(
      'event_publish_failed',
      `expected every event to be accepted, but ${failures.length} were refused` +
        (first ? `; first: ${first.detailType}: ${first.reason}` : ''),
    );
    this.failures = failures;
  }
}
