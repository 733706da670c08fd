import type { SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';

/** Keeps every published event in order, for tests and for the local runner's live log. */
export class InMemoryEventPublisher implements EventPublisher {
  readonly events: SchedulerEvent[] = [];

  async publish(events: readonly SchedulerEvent[]): Promise<void> {
    this.events.push(...events.map((event) => JSON.parse(JSON.stringify(event)) as SchedulerEvent));
  }
}
