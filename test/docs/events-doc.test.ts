import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeEventPublisher } from '../../lambdas/adapters/eventbridge/eventbridge-event-publisher';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { eventFor } from '../../lambdas/core/use-cases/action-events';

const doc = readFileSync(path.join(__dirname, '../../docs/events.md'), 'utf8');

/** The field names in the first table after a heading of docs/events.md. */
function documentedFields(heading: string): string[] {
  const section = doc.slice(doc.indexOf(heading));
  const start = section.search(/^\| field /m);
  const table = section.slice(start, section.indexOf('\n\n', start));
  return table
    .split('\n')
    .slice(2)
    .map((row) => /^\| `([^`]+)`/.exec(row)?.[1])
    .filter((field): field is string => field !== undefined);
}

const timedOut: ActionRecord = {
  kind: 'action',
  version: 4,
  policy: 'weekend-off',
  scheduledTime: '2026-11-27T19:00:00.000Z',
  claimedAt: '2026-11-27T19:00:01.000Z',
  updatedAt: '2026-11-27T19:05:03.000Z',
  expiresAt: 1_830_000_000,
  dropletId: 3164450,
  dropletName: 'staging-web-2',
  type: 'shutdown',
  mode: 'per-droplet',
  status: 'timed-out',
  actionId: 2100000417,
  startedAt: '2026-11-27T19:00:02.000Z',
  completedAt: '2026-11-27T19:05:03.000Z',
  attempts: 1,
  lastError: { code: 'timed_out', message: 'expected shutdown to finish within 5 minutes, got: in-progress' },
};

describe('docs/events.md', () => {
  it('documents exactly the fields an action event carries', () => {
    const event = eventFor(timedOut);
    expect(Object.keys(event?.detail ?? {}).sort()).toEqual(
      documentedFields('## `Droplet Action Completed`').sort(),
    );
  });

  it('shows the PutEvents entry the EventBridge adapter really sends', async () => {
    const eventBridge = mockClient(EventBridgeClient);
    const sent: PutEventsRequestEntry[] = [];
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: PutEventsRequestEntry[] }) => {
      sent.push(...input.Entries);
      return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) };
    });
    const event = eventFor(timedOut);

    await new EventBridgeEventPublisher({
      client: new EventBridgeClient({}),
      eventBusName: 'default',
    }).publish([event!]);

    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '{}');
    expect({
      source: sent[0]?.Source,
      'detail-type': sent[0]?.DetailType,
      detail: JSON.parse(sent[0]?.Detail ?? '{}'),
    }).toEqual(example);
  });
});
