import type {
  FailureEvent,
  ResponseEvent,
} from '../../../../lambdas/adapters/digitalocean/digitalocean-client-options';
import { NetworkError } from '../../../../lambdas/core/errors';
import {
  closedPort,
  sendJson,
  startHttpTestServer,
  type HttpTestServer,
} from '../../../support/http-test-server';
import { wireAction } from './fixtures';
import { testClient } from './test-client';

describe('DigitalOceanClient observation hooks and stop signal', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test('given responses of any status, then onResponse sees each with its status, and onFailure none', async () => {
    server = await startHttpTestServer((request, response, index) =>
      index === 0
        ? sendJson(response, 404, {
            id: 'not_found',
            message: 'The resource you were accessing could not be found.',
          })
        : sendJson(response, 200, { action: wireAction({ id: 7 }) }),
    );
    const responses: ResponseEvent[] = [];
    const failures: FailureEvent[] = [];
    const client = testClient(server.url, {
      onResponse: (event) => responses.push(event),
      onFailure: (event) => failures.push(event),
    });

    await expect(client.getAction(6)).rejects.toThrow(/404/);
    await client.getAction(7);

    expect(responses.map((event) => [event.method, event.path, event.status])).toEqual([
      ['GET', '/v2/actions/6', 404],
      ['GET', '/v2/actions/7', 200],
    ]);
    expect(responses.every((event) => event.durationMs >= 0)).toBe(true);
    expect(failures).toEqual([]);
  });

  test('given a refused connection, then onFailure sees the NetworkError of every attempt', async () => {
    const failures: FailureEvent[] = [];
    const client = testClient(`http://127.0.0.1:${await closedPort()}`, {
      retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 1 },
      onFailure: (event) => failures.push(event),
    });

    await expect(client.getAction(1)).rejects.toBeInstanceOf(NetworkError);

    expect(failures.map((event) => [event.attempt, event.error.id])).toEqual([
      [1, 'ECONNREFUSED'],
      [2, 'ECONNREFUSED'],
      [3, 'ECONNREFUSED'],
    ]);
  });

  test('given a stop signal, when it aborts during a backoff wait, then the call fails at once with id stopped and sends nothing more', async () => {
    const stop = new AbortController();
    const client = testClient(`http://127.0.0.1:${await closedPort()}`, {
      // A backoff long enough that only the stop can end the wait within the test.
      retry: { limit: 4, baseDelayMs: 20_000, maxDelayMs: 20_000 },
      signal: stop.signal,
      onRetry: () => setTimeout(() => stop.abort('gave up'), 50),
    });
    const started = Date.now();

    const error = (await client.getAction(1).catch((caught: unknown) => caught)) as NetworkError;

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.id).toBe('stopped');
    expect(error.message).toContain('the client was stopped (gave up)');
    await expect(client.getAction(2)).rejects.toMatchObject({ id: 'stopped' });
    expect(client.requestCount).toBe(1);
  });

  test('given a POST on the wire, when the stop signal aborts it, then the error says its outcome is unknown', async () => {
    const stop = new AbortController();
    server = await startHttpTestServer(() => {
      // Never answers: the POST stays on the wire until it is aborted.
      setTimeout(() => stop.abort('gave up'), 50);
    });
    const client = testClient(server.url, { signal: stop.signal });

    const error = (await client
      .initiate(400000001, { type: 'reboot' })
      .catch((caught: unknown) => caught)) as NetworkError;

    expect(error).toBeInstanceOf(NetworkError);
    expect(error.id).toBe('stopped');
    expect(error.outcomeUnknown).toBe(true);
  });
});
