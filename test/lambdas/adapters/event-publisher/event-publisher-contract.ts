import type { SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';
import type { EventPublisher } from '../../../../lambdas/core/ports/event-publisher';
import { failedEvent } from './sample-events';

export interface EventPublisherHarness {
  readonly publisher: EventPublisher;
  /** The events a subscriber would receive, as detail-type and detail. */
  delivered(): Promise<SchedulerEvent[]>;
}

/** The behaviour every `EventPublisher` adapter promises; run once per adapter. */
export function describeEventPublisherContract(
  name: string,
  createHarness: () => Promise<EventPublisherHarness>,
): void {
  describe(`${name} (EventPublisher contract)`, () => {
    it('delivers every event once, in order, with its detail intact', async () => {
      const harness = await createHarness();
      const events = Array.from({ length: 23 }, (_, index) => failedEvent(index + 1));

      await harness.publisher.publish(events);

      expect(await harness.delivered()).toEqual(events);
    });

    it('accepts an empty publish without error', async () => {
      const harness = await createHarness();
      await harness.publisher.publish([]);
      expect(await harness.delivered()).toEqual([]);
    });
  });
}
