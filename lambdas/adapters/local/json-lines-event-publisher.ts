import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EVENT_SOURCE, type SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';

/**
 * Local mode's EventBridge: appends each event as one JSON line, in EventBridge's envelope shape,
 * so that `jq` filters written for the deployed bus work on the file too.
 */
export class JsonLinesEventPublisher implements EventPublisher {
  constructor(
    /** The file to append to, e.g. `.droplet-scheduler/events.jsonl`. */
    private readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async publish(events: readonly SchedulerEvent[]): Promise<void> {
    if (events.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const time = this.now().toISOString();
    const lines = events.map((event) =>
      JSON.stringify({ source: EVENT_SOURCE, 'detail-type': event.detailType, time, detail: event.detail }),
    );
    await appendFile(this.file, `${lines.join('\n')}\n`);
  }
}
