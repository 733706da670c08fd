import path from 'node:path';
import type { ActionLedger } from '../../core/ports/audit-queries';
import type { Clock } from '../../core/ports/clock';
import type { SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';
import { initiateAction } from '../../core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../core/use-cases/initiate-work-item';
import type { UseCaseDependencies } from '../../core/use-cases/use-case-dependencies';
import { Timing, type TimingOptions } from '../../core/state/timing';
import { DigitalOceanClient, type DigitalOceanClientOptions } from '../digitalocean';
import { systemClock } from '../digitalocean/clock';
import { drainWorkQueue } from '../in-memory/drain-work-queue';
import { InMemoryEventPublisher } from '../in-memory/in-memory-event-publisher';
import { InMemoryWorkQueue } from '../in-memory/in-memory-work-queue';
import { JsonLinesEventPublisher } from './json-lines-event-publisher';
import { WebhookEventPublisher, type WebhookOptions } from './webhook-event-publisher';
import { openFileQueueJournal, type DamagedJournal } from './file-queue-journal';
import { openLocalLedger } from './open-local-ledger';

export interface LocalRuntimeOptions {
  /** DigitalOcean's API, or the simulator's URL. */
  readonly apiUrl: string;
  /** Required: there is no default token. */
  readonly token: string;
  /**
   * Directory for the ledger (dynalite's files) and `events.jsonl`, so that a restart resumes.
   * @default none: the ledger lives in memory and events stay in memory
   */
  readonly storeDir?: string;
  /**
   * How many times faster than real time the API side runs (the simulator's `--time-scale`):
   * waits on DigitalOcean's behalf (check delays, busy-droplet retries, timeouts) shrink by it.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * The protocol's other durations (see `Timing`).
   * @default LOCAL_TIMING: production's, but a run's lease of a minute, since a local dispatch
   * runs in this process and takes seconds
   */
  readonly timing?: Omit<TimingOptions, 'timeScale'>;
  /**
   * The one time the runtime reads: the use cases' `now`, the queue's delays, the client's
   * backoff and the drain's waits. The bench passes a discrete-event clock.
   * @default systemClock
   */
  readonly clock?: Clock;
  /** @default the time of `clock` */
  readonly now?: () => Date;
  /** Extra client options (rate limiter, request hooks). */
  readonly client?: Partial<Omit<DigitalOceanClientOptions, 'token' | 'baseUrl'>>;
  /**
   * A ledger opened elsewhere (a deployed table, for `--table`); the runtime then does not close it.
   * @default the local store's ledger, from `openLocalLedger`
   */
  readonly ledger?: ActionLedger;
  /** Called with every event after it is published, e.g. for a live log. */
  readonly onEvent?: (event: SchedulerEvent) => void;
  /**
   * Also post failed, timed-out and skipped actions to a webhook (`local --notify-webhook`).
   * @default none
   */
  readonly notifyWebhook?: WebhookOptions;
}

export interface LocalRuntime extends UseCaseDependencies {
  readonly queue: InMemoryWorkQueue<InitiateWorkItem>;
  /** Queue journals of earlier processes with lines that could not be read, kept aside (see `openFileQueueJournal`). */
  readonly damagedJournals: readonly DamagedJournal[];
  /** Runs initiate for every queued item, delayed ones included; resolves with the number left. */
  drain(options: { timeoutMs: number; concurrency?: number; signal?: AbortSignal }): Promise<number>;
  close(): Promise<void>;
}

/** How long a stop waits for notifications still waiting to be posted. */
const WEBHOOK_FLUSH_MS = 10_000;

/** Production's durations, but a run's lease of a minute: a local dispatch runs in-process and takes seconds. */
export const LOCAL_TIMING: Omit<TimingOptions, 'timeScale'> = { runLeaseMs: 60_000 };

/**
 * Everything the use cases need on one machine: the local ledger (dynalite on disk under
 * `storeDir`, its table created from the shared schema) or a given one, the work queue (journaled
 * in the store, so that a crash loses no queued item), a JSON-lines event file,
 * and the DigitalOcean client. Tests, the CLI and local mode all start here.
 */
export async function createLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const clock = options.clock ?? systemClock;
  const now = options.now ?? (() => new Date(clock.now()));
  const timing = new Timing({ ...LOCAL_TIMING, ...options.timing, timeScale: options.timeScale ?? 1 });
  const opened = options.ledger
    ? undefined
    : await openLocalLedger({ storeDir: options.storeDir, now: () => now().getTime() });
  const ledger = options.ledger ?? (opened as NonNullable<typeof opened>).ledger;
  const durable = options.storeDir ? openFileQueueJournal<InitiateWorkItem>(options.storeDir) : undefined;
  const queue = new InMemoryWorkQueue<InitiateWorkItem>({
    now: () => now().getTime(),
    // Queue delays are set in our own time already (a retry's delay comes from the ledger's timing).
    delayScale: 1,
    journal: durable?.journal,
    restored: durable?.restored,
  });
  const api = new DigitalOceanClient({
    // Bounded, like the Lambda's: past two minutes' wait for rate budget the item goes back on the queue.
    maxQueueWaitMs: 120_000,
    timeoutMs: timing.clientTimeoutMs,
    clock,
    ...options.client,
    token: options.token,
    baseUrl: options.apiUrl,
  });
  const file: EventPublisher = options.storeDir
    ? new JsonLinesEventPublisher(path.join(options.storeDir, 'events.jsonl'), now)
    : new InMemoryEventPublisher();
  const webhook = options.notifyWebhook ? new WebhookEventPublisher(file, options.notifyWebhook) : undefined;
  const store = webhook ?? file;
  const events: EventPublisher = {
    publish: async (published) => {
      await store.publish(published);
      for (const event of published) options.onEvent?.(event);
    },
  };
  const deps: UseCaseDependencies = { api, ledger, queue, events, now, timing };
  return {
    ...deps,
    queue,
    damagedJournals: durable?.damaged ?? [],
    drain: ({ timeoutMs, concurrency, signal }) =>
      drainWorkQueue(queue, async (item) => void (await initiateAction(deps, item)), {
        timeoutMs,
        concurrency,
        signal,
        clock,
      }),
    close: async () => {
      // Paced at about one a second: more than two waiting is a wait worth saying.
      if (webhook && webhook.waiting > 2)
        options.notifyWebhook?.onProblem(
          `webhook ${webhook.origin}: posting ${webhook.waiting} notifications still waiting (at most ${WEBHOOK_FLUSH_MS / 1000} s)`,
        );
      if (webhook && !(await webhook.flush(WEBHOOK_FLUSH_MS)))
        options.notifyWebhook?.onProblem(
          `webhook ${webhook.origin}: notifications still waiting after ${WEBHOOK_FLUSH_MS / 1000} s at stop were not sent (the event file has every event)`,
        );
      await opened?.close();
    },
  };
}
