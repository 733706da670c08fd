import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryEventPublisher } from '../../../../lambdas/adapters/in-memory/in-memory-event-publisher';
import { JsonLinesEventPublisher } from '../../../../lambdas/adapters/local/json-lines-event-publisher';
import type { SchedulerEvent } from '../../../../lambdas/core/events/scheduler-event';
import { describeEventPublisherContract } from './event-publisher-contract';
import { failedEvent } from './sample-events';

describeEventPublisherContract('InMemoryEventPublisher', async () => {
  const publisher = new InMemoryEventPublisher();
  return { publisher, delivered: async () => publisher.events };
});

const directories: string[] = [];
afterAll(() => Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true }))));

async function readJsonLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function eventsFile(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'events-'));
  directories.push(directory);
  return path.join(directory, 'store', 'events.jsonl');
}

describeEventPublisherContract('JsonLinesEventPublisher', async () => {
  const file = await eventsFile();
  return {
    publisher: new JsonLinesEventPublisher(file),
    delivered: async () =>
      (await readJsonLines(file)).map(
        (line) => ({ detailType: line['detail-type'], detail: line.detail }) as SchedulerEvent,
      ),
  };
});

describe('JsonLinesEventPublisher', () => {
  it("writes EventBridge's envelope, so that filters written for the bus work on the file", async () => {
    const file = await eventsFile();
    const publisher = new JsonLinesEventPublisher(file, () => new Date('2026-11-27T19:05:03.000Z'));

    await publisher.publish([failedEvent(42)]);

    const [line] = await readJsonLines(file);
    expect(line).toEqual({
      source: 'droplet-scheduler',
      'detail-type': 'Droplet Action Failed',
      time: '2026-11-27T19:05:03.000Z',
      detail: failedEvent(42).detail,
    });
  });
});
