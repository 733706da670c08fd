import type { SchedulerEvent } from '../events/scheduler-event';

/**
 * Where droplet-scheduler tells the world what happened: EventBridge in AWS, a JSON-lines file locally.
 * Publishing is at least once; consumers deduplicate on (policy, scheduledTime, dropletId, detail-type).
 */
export interface EventPublisher {
  /** Resolves once every event is accepted; rejects with `EventPublishError` naming what was not. */
  publish(events: readonly SchedulerEvent[]): Promise<void>;
}
