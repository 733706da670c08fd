import path from 'node:path';
import type { SchedulerEvent } from '../../core/events/scheduler-event';
import type { EventPublisher } from '../../core/ports/event-publisher';
import { initiateAction } from '../../core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../core/use-cases/initiate-work-item';
import type { UseCaseDependencies } from '../../core/use-cases/use-case-dependencies';
import { DigitalOceanClient, type DigitalOceanClientOptions } from '../digitalocean';
import { DynamoDbActionLedger } from '../dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../dynamodb/ensure-ledger-table';
import { startDynalite } from '../dynamodb/start-dynalite';
import { drainWorkQueue } from '../in-memory/drain-work-queue';
import { InMemoryEventPublisher } from '../in-memory/in-memory-event-publisher';
import { InMemoryWorkQueue } from '../in-memory/in-memory-work-queue';
import { JsonLinesEventPublisher } from './json-lines-event-publisher';

/** The table name local mode uses inside its own dynalite. */
export const LOCAL_TABLE_NAME = 'droplet-scheduler-ledger';

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
   * queue delays, check delays, grace periods and timeouts all shrink by it.
   * @default 1
   */
  readonly timeScale?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Extra client options (rate limiter, request hooks). */
  readonly client?: Partial<Omit<DigitalOceanClientOptions, 'token' | 'baseUrl'>>;
  /** Called with every event after it is published, e.g. for a live log. */
  readonly onEvent?: (event: SchedulerEvent) => void;
}

export interface LocalRuntime extends UseCaseDependencies {
  readonly queue: InMemoryWorkQueue<InitiateWorkItem>;
  /** dynalite's endpoint, for a second process that wants to read the same ledger. */
  readonly ledgerEndpoint: string;
  /** Runs initiate for every queued item, delayed ones included; resolves with the number left. */
  drain(options: { timeoutMs: number; concurrency?: number; signal?: AbortSignal }): Promise<number>;
  close(): Promise<void>;
}

/**
 * Everything the use cases need on one machine: dynalite (on disk under `storeDir`) with the
 * ledger table created from the shared schema, the in-memory work queue, a JSON-lines event file,
 * and the DigitalOcean client. Tests, the CLI and local mode all start here.
 */
export async function createLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const now = options.now ?? (() => new Date());
  const dynalite = await startDynalite({
    path: options.storeDir ? path.join(options.storeDir, 'ledger') : undefined,
  });
  try {
    await ensureLedgerTable(dynalite.client, LOCAL_TABLE_NAME);
  } catch (error) {
    await dynalite.close();
    throw error;
  }
  const ledger = new DynamoDbActionLedger({
    client: dynalite.client,
    tableName: LOCAL_TABLE_NAME,
    now: () => now().getTime(),
  });
  const timeScale = options.timeScale ?? 1;
  const queue = new InMemoryWorkQueue<InitiateWorkItem>({
    now: () => now().getTime(),
    delayScale: 1 / timeScale,
  });
  const api = new DigitalOceanClient({ ...options.client, token: options.token, baseUrl: options.apiUrl });
  const store: EventPublisher = options.storeDir
    ? new JsonLinesEventPublisher(path.join(options.storeDir, 'events.jsonl'), now)
    : new InMemoryEventPublisher();
  const events: EventPublisher = {
    publish: async (published) => {
      await store.publish(published);
      for (const event of published) options.onEvent?.(event);
    },
  };
  const deps: UseCaseDependencies = { api, ledger, queue, events, now, timeScale };
  return {
    ...deps,
    queue,
    ledgerEndpoint: dynalite.endpoint,
    drain: ({ timeoutMs, concurrency, signal }) =>
      drainWorkQueue(queue, async (item) => void (await initiateAction(deps, item)), {
        timeoutMs,
        concurrency,
        signal,
      }),
    close: () => dynalite.close(),
  };
}
