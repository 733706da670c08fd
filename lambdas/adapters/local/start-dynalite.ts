import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { closeDynaliteIterators } from './close-dynalite-iterators';

export interface StartDynaliteOptions {
  /**
   * Directory for dynalite's LevelDB files, so that the ledger survives a restart.
   * @default in memory
   */
  readonly path?: string;
  /**
   * Interface to listen on; keep it on loopback, dynalite has no authentication.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Port to listen on.
   * @default 0 (an ephemeral port)
   */
  readonly port?: number;
}

export interface RunningDynalite {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client for it: region us-east-1 and placeholder credentials, which dynalite does not check. */
  readonly client: DynamoDBClient;
  /** Destroys the client and stops the server (flushing the store to disk when it has a `path`). */
  close(): Promise<void>;
}

/**
 * Starts dynalite (DynamoDB on LevelDB) in this process. Used by the local runtime and by tests;
 * tables are ACTIVE as soon as they are created, and TTL is never enforced.
 */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<RunningDynalite> {
  closeDynaliteIterators();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: options.path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const endpoint = `http://${address}:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
