import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeEventPublisher } from '../../../../lambdas/adapters/eventbridge/eventbridge-event-publisher';
import { EventPublishError } from '../../../../lambdas/core/errors/event-publish-error';
import type { SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';
import { describeEventPublisherContract } from './event-publisher-contract';
import { failedEvent } from './sample-events';

// There is no local EventBridge: the SDK client is stubbed at its `send`, and the tests check the PutEvents input.
const BUS = 'droplet-scheduler-events';

function publisherOver(client: EventBridgeClient, maxAttempts = 3) {
  return new EventBridgeEventPublisher({ client, eventBusName: BUS, maxAttempts, retryDelayMs: 1 });
}

describeEventPublisherContract('EventBridgeEventPublisher', async () => {
  const eventBridge = mockClient(EventBridgeClient);
  const accepted: PutEventsRequestEntry[] = [];
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
    accepted.push(...input.Entries);
    return { FailedEntryCount: 0, Entries: input.Entries.map((_, index) => ({ EventId: String(index) })) };
  });
  return {
    publisher: publisherOver(new EventBridgeClient({})),
    delivered: async () =>
      accepted.map(
        (entry) =>
          ({ detailType: entry.DetailType, detail: JSON.parse(entry.Detail ?? '{}') }) as SchedulerEvent,
      ),
  };
});

describe('EventBridgeEventPublisher', () => {
  it('puts entries with our source, detail-type and bus, ten per call', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map(() => ({ EventId: 'e' })),
    }));

    await publisherOver(new EventBridgeClient({})).publish(
      Array.from({ length: 12 }, (_, index) => failedEvent(index)),
    );

    const calls = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([10, 2]);
    expect(calls[0]?.[0]).toEqual({
      Source: 'droplet-scheduler',
      DetailType: 'Droplet Action Failed',
      Detail: JSON.stringify(failedEvent(0).detail),
      EventBusName: BUS,
    });
  });

  it('resends just the entries that PutEvents refused', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });

    await publisherOver(new EventBridgeClient({})).publish([1, 2, 3, 4].map(failedEvent));

    const resent = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries ?? [];
    expect(
      resent.map((entry) => (JSON.parse(entry.Detail ?? '{}') as { dropletId: number }).dropletId),
    ).toEqual([2, 4]);
  });

  it('fails with EventPublishError naming the refused entries when the resends run out', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }] });

    const publishing = publisherOver(new EventBridgeClient({}), 2).publish([failedEvent(5)]);

    await expect(publishing).rejects.toBeInstanceOf(EventPublishError);
    await expect(publishing).rejects.toThrow('Droplet Action Failed: InternalFailure: oops');
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
