import { inspect } from 'node:util';
import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import { RateLimiterRegistry } from '../../../../lambdas/adapters/digitalocean/rate-limiter-registry';
import { ConfigurationError, DigitalOceanError } from '../../../../lambdas/core/errors';
import {
  closedPort,
  sendJson,
  startHttpTestServer,
  type HttpTestServer,
} from '../../../support/http-test-server';
import { canaryToken } from './fixtures';
import { looseLimiter } from './test-client';

/** Every way an error or a client could be shown to a person or a log. */
function renderings(value: unknown): string[] {
  const error = value as Error;
  return [
    String(error?.message),
    String(error?.stack),
    JSON.stringify(value),
    inspect(value, { depth: 10, showHidden: true }),
    String(value),
  ];
}

describe('the API token', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is sent as a bearer Authorization header, with the user agent, on every attempt', async () => {
    // Prepare
    const token = canaryToken();
    let calls = 0;
    server = await startHttpTestServer((_request, response) => {
      calls++;
      if (calls === 1) return sendJson(response, 503, { id: 'service_unavailable', message: 'Try later.' });
      return sendJson(response, 204, undefined);
    });
    const client = new DigitalOceanClient({
      token,
      baseUrl: server.url,
      rateLimiter: looseLimiter(),
      userAgent: 'scheduler-test/1',
      retry: { limit: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    // Act
    await client.deleteSnapshot(99);
    // Assess
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${token}`,
      `Bearer ${token}`,
    ]);
    expect(server.requests[0]?.headers['user-agent']).toBe('scheduler-test/1');
  });

  it('appears nowhere in errors, even when the server echoes the Authorization header back', async () => {
    const token = canaryToken();
    server = await startHttpTestServer((request, response) => {
      const echo = String(request.headers.authorization);
      if (request.url.startsWith('/v2/actions/1')) {
        return sendJson(response, 422, { id: 'unprocessable_entity', message: `bad header ${echo}` });
      }
      if (request.url.startsWith('/v2/actions/2')) {
        response.writeHead(500, { 'content-type': 'text/plain' });
        return response.end(`<html><title>${echo}</title></html>`);
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end(`not json ${echo}`);
    });
    const port = await closedPort();
    const client = new DigitalOceanClient({
      token,
      baseUrl: server.url,
      rateLimiter: looseLimiter(),
      retry: { limit: 0 },
    });
    const offline = new DigitalOceanClient({
      token,
      baseUrl: `http://127.0.0.1:${port}`,
      rateLimiter: looseLimiter(),
      retry: { limit: 0 },
    });
    const errors = await Promise.all(
      [
        client.getAction(1),
        client.getAction(2),
        client.getAction(3),
        offline.initiate(1, { type: 'reboot' }),
      ].map((promise) => promise.catch((error: unknown) => error)),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(DigitalOceanError);
      for (const text of renderings(error)) expect(text).not.toContain(token);
    }
    expect((errors[0] as DigitalOceanError).apiMessage).toContain('Bearer [redacted token]');
  });

  it('is not visible when the client or the limiter registry is inspected or serialised', () => {
    const token = canaryToken();
    const registry = new RateLimiterRegistry();
    const client = new DigitalOceanClient({ token, rateLimiter: registry.forToken(token) });
    for (const text of [...renderings(client), ...renderings(registry), inspect(registry.forToken(token))]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(7, 40));
    }
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])(
    'given a %s token, then construction fails with a ConfigurationError naming the option',
    (_what, token) => {
      const construct = () => new DigitalOceanClient({ token: token as string });
      expect(construct).toThrow(ConfigurationError);
      expect(construct).toThrow(/^token: expected a DigitalOcean API token/);
    },
  );
});
