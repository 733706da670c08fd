import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import type { RequestEvent } from '../../../../lambdas/adapters/digitalocean/digitalocean-client-options';
import { RateLimiter } from '../../../../lambdas/adapters/digitalocean/rate-limiter';
import { NetworkError, RateLimitedError, ServerError } from '../../../../lambdas/core/errors';
import {
  closedPort,
  sendJson,
  startHttpTestServer,
  type HttpTestServer,
  type ScriptedHandler,
} from '../../../support/http-test-server';
import { canaryToken, wireAction } from './fixtures';
import { RecordingClock } from './manual-clock';

describe('DigitalOceanClient retries', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A client whose backoff and limiter pauses are recorded instead of waited for. */
  async function setup(handler: ScriptedHandler, limit = 4) {
    server = await startHttpTestServer(handler);
    const clock = new RecordingClock();
    const events: RequestEvent[] = [];
    const client = new DigitalOceanClient({
      token: canaryToken(),
      baseUrl: server.url,
      clock,
      random: () => 0.5,
      rateLimiter: new RateLimiter({ windows: [{ limit: 10_000, lengthMs: 1_000 }], clock }),
      retry: { limit, baseDelayMs: 100, maxDelayMs: 1_000 },
      onRequest: (event) => events.push(event),
    });
    return { server, clock, events, client };
  }

  const failing =
    (status: number, headers: Record<string, string> = {}) =>
    (response: Parameters<ScriptedHandler>[1]) =>
      sendJson(response, status, { id: 'x', message: `status ${status}` }, headers);

  it('given a GET that fails with 503 twice, then it is retried with growing jittered backoff and succeeds', async () => {
    const { client, clock, events } = await setup((_request, response, index) =>
      index < 2 ? failing(503)(response) : sendJson(response, 200, { action: wireAction({ id: 5 }) }),
    );
    const action = await client.getAction(5);
    expect(action.id).toBe(5);
    expect(events.map((event) => event.attempt)).toEqual([1, 2, 3]);
    // Equal jitter with random 0.5: three quarters of 100 ms, then of 200 ms.
    expect(clock.sleeps.filter((ms) => ms >= 50)).toEqual([75, 150]);
  });

  it('given a 429 with retry-after, then the retry waits exactly that long', async () => {
    const {
      client,
      clock,
      server: scripted,
    } = await setup((_request, response, index) =>
      index === 0
        ? failing(429, { 'retry-after': '7' })(response)
        : sendJson(response, 200, { action: wireAction({ id: 1 }) }),
    );
    const action = await client.getAction(1);
    expect(action.id).toBe(1);
    expect(scripted.requests).toHaveLength(2);
    expect(clock.sleeps).toContain(7_000);
  });

  it('given a 429 whose retry-after is longer than maxRetryAfterMs, then it surfaces at once', async () => {
    const { client, server: scripted } = await setup((_request, response) =>
      failing(429, { 'retry-after': '1800' })(response),
    );
    const error = await client.getAction(1).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(1800);
    expect(scripted.requests).toHaveLength(1);
  });

  it('given the limiter paused by a 429, when a call would wait longer than maxQueueWaitMs, then it fails at once unsent', async () => {
    server = await startHttpTestServer((_request, response) =>
      failing(429, { 'retry-after': '30' })(response),
    );
    const client = new DigitalOceanClient({
      token: canaryToken(),
      baseUrl: server.url,
      rateLimiter: new RateLimiter({ windows: [{ limit: 10_000, lengthMs: 1_000 }] }),
      retry: { limit: 0 },
      maxQueueWaitMs: 1_000,
    });
    await expect(client.getAction(1)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 30 });
    const started = Date.now();
    const error = await client.initiate(5, { type: 'reboot' }).catch((thrown: unknown) => thrown);
    // At once, not after the 30-s pause: the bound leaves a busy machine a wide margin.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      status: 0,
      id: 'local_rate_limit',
      request: 'POST /v2/droplets/5/actions',
      outcomeUnknown: false,
    });
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(29);
    expect(server.requests).toHaveLength(1);
  });

  it('given a GET that keeps failing, then it stops after the retry limit with the last error', async () => {
    const { client, events } = await setup((_request, response) => failing(500)(response), 3);
    await expect(client.getAction(1)).rejects.toBeInstanceOf(ServerError);
    expect(events).toHaveLength(4);
  });

  it('given a DELETE answered 502, then it is retried', async () => {
    const { client, events } = await setup((_request, response, index) =>
      index === 0 ? failing(502)(response) : sendJson(response, 204, undefined),
    );
    await client.deleteSnapshot('snap-1');
    expect(events.map((event) => `${event.method} ${event.path}`)).toEqual([
      'DELETE /v2/snapshots/snap-1',
      'DELETE /v2/snapshots/snap-1',
    ]);
  });

  it('given a POST answered 500, then it is not retried and surfaces with outcomeUnknown', async () => {
    const { client, server: scripted } = await setup((_request, response) => failing(500)(response));
    const error = await client.initiate(1, { type: 'power_on' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).outcomeUnknown).toBe(true);
    expect(scripted.requests).toHaveLength(1);
  });

  it('given a POST whose connection drops, then it is not retried', async () => {
    const { client, server: scripted } = await setup((_request, response) => response.socket?.destroy());
    const error = await client.initiate(1, { type: 'power_on' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).outcomeUnknown).toBe(true);
    expect(scripted.requests).toHaveLength(1);
  });

  it('given a POST answered 429, then it is retried, since nothing was carried out', async () => {
    const { client, server: scripted } = await setup((_request, response, index) =>
      index === 0
        ? failing(429, { 'retry-after': '1' })(response)
        : sendJson(response, 201, { action: wireAction() }),
    );
    const action = await client.initiate(3164444, { type: 'power_off' });
    expect(action.type).toBe('power_off');
    expect(scripted.requests.map((request) => request.body)).toEqual([
      '{"type":"power_off"}',
      '{"type":"power_off"}',
    ]);
  });

  it('given a POST to a port nobody listens on, then it is retried up to the limit, then refused', async () => {
    const port = await closedPort();
    const events: RequestEvent[] = [];
    const clock = new RecordingClock();
    const client = new DigitalOceanClient({
      token: canaryToken(),
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
      rateLimiter: new RateLimiter({ windows: [{ limit: 10_000, lengthMs: 1_000 }], clock }),
      retry: { limit: 2, baseDelayMs: 10, maxDelayMs: 10 },
      onRequest: (event) => events.push(event),
    });
    const error = await client.initiate(1, { type: 'reboot' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).outcomeUnknown).toBe(false);
    expect(events).toHaveLength(3);
    expect(client.requestCount).toBe(3);
  });

  it("given two clients on one token and no limiter of their own, then they share the token's limiter", async () => {
    server = await startHttpTestServer((_request, response) =>
      sendJson(response, 200, { action: wireAction() }),
    );
    const token = canaryToken();
    const [first, second] = [1, 2].map(() => new DigitalOceanClient({ token, baseUrl: server?.url }));
    const started = Date.now();
    await first?.getAction(1);
    await second?.getAction(1);
    // DigitalOcean's 250 a minute: the second client's request waits for the shared schedule.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('given a 4xx other than 429, then nothing is retried', async () => {
    const { client, server: scripted } = await setup((_request, response) => failing(404)(response));
    await expect(client.getDroplet(1)).rejects.toMatchObject({ code: 'not_found' });
    expect(scripted.requests).toHaveLength(1);
  });

  it('rejects a 429 after the limit with RateLimitedError', async () => {
    const { client } = await setup((_request, response) => failing(429, { 'retry-after': '1' })(response), 1);
    await expect(client.getAction(1)).rejects.toBeInstanceOf(RateLimitedError);
  });
});
