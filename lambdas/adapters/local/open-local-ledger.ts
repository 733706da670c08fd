import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ActionLedger } from '../../core/ports/audit-queries';
import { ensureLedgerTable } from '../dynamodb/ensure-ledger-table';
import { checkLedgerFiles } from './check-ledger-files';
import { DynaliteLedger } from './dynalite-ledger';
import { startDynalite } from './start-dynalite';

/** The table name local mode uses inside its own dynalite. */
export const LOCAL_TABLE_NAME = 'droplet-scheduler-ledger';

/** Written beside the store by the process that serves it, so that others reach it over HTTP. */
const SERVER_FILE = 'ledger-server.json';

export interface OpenLedger {
  readonly ledger: ActionLedger;
  /** The DynamoDB endpoint the ledger talks to. */
  readonly endpoint: string;
  /** True when another process serves the store and this one is only its client. */
  readonly shared: boolean;
  close(): Promise<void>;
}

export interface OpenLocalLedgerOptions {
  /** The store directory; absent keeps the ledger in memory. */
  readonly storeDir?: string;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Opens the local ledger. dynalite keeps its files under an exclusive LevelDB lock, so only one
 * process can serve a store: the first one starts dynalite and leaves its endpoint in the store,
 * and every later process (an `audit` beside a running `local`) connects to that endpoint
 * instead. A server file left by a process that died is ignored.
 */
export async function openLocalLedger(options: OpenLocalLedgerOptions = {}): Promise<OpenLedger> {
  const serverFile = options.storeDir ? path.join(options.storeDir, SERVER_FILE) : undefined;
  const running = serverFile ? await liveServer(serverFile) : undefined;
  if (running) {
    const client = new DynamoDBClient({
      endpoint: running.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    return {
      ledger: new DynaliteLedger({ client, tableName: LOCAL_TABLE_NAME, now: options.now }),
      endpoint: running.endpoint,
      shared: true,
      close: async () => client.destroy(),
    };
  }
  if (options.storeDir) {
    await mkdir(options.storeDir, { recursive: true });
    await checkLedgerFiles(path.join(options.storeDir, 'ledger'));
  }
  const dynalite = await startDynalite({
    path: options.storeDir ? path.join(options.storeDir, 'ledger') : undefined,
  });
  try {
    await ensureLedgerTable(dynalite.client, LOCAL_TABLE_NAME);
    if (serverFile)
      await writeFile(serverFile, JSON.stringify({ pid: process.pid, endpoint: dynalite.endpoint }));
  } catch (error) {
    await dynalite.close();
    throw error;
  }
  return {
    ledger: new DynaliteLedger({ client: dynalite.client, tableName: LOCAL_TABLE_NAME, now: options.now }),
    endpoint: dynalite.endpoint,
    shared: false,
    close: async () => {
      if (serverFile) await rm(serverFile, { force: true });
      await dynalite.close();
    },
  };
}

async function liveServer(file: string): Promise<{ pid: number; endpoint: string } | undefined> {
  let server: { pid?: unknown; endpoint?: unknown };
  try {
    server = JSON.parse(await readFile(file, 'utf8')) as typeof server;
  } catch {
    return undefined;
  }
  if (typeof server.pid !== 'number' || typeof server.endpoint !== 'string' || server.pid === process.pid)
    return undefined;
  try {
    process.kill(server.pid, 0);
  } catch {
    return undefined;
  }
  return { pid: server.pid, endpoint: server.endpoint };
}
