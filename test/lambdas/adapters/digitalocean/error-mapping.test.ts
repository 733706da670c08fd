import {
  DigitalOceanError,
  NetworkError,
  NotFoundError,
  PendingEventError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  UnprocessableError,
} from '../../../../lambdas/core/errors';
import {
  closedPort,
  sendJson,
  startHttpTestServer,
  type HttpTestServer,
  type ScriptedHandler,
} from '../../../support/http-test-server';
import { testClient } from './test-client';

describe('DigitalOceanClient error mapping', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(handler: ScriptedHandler): Promise<string> {
    server = await startHttpTestServer(handler);
    return server.url;
  }

  async function failure(promise: Promise<unknown>): Promise<DigitalOceanError> {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DigitalOceanError);
    return error as DigitalOceanError;
  }

  const doError = (id: string, message: string) => ({ id, message, request_id: 'req-42' });

  it.each([
    {
      status: 401,
      id: 'unauthorized',
      message: 'Unable to authenticate you',
      type: UnauthorizedError,
      code: 'unauthorized',
    },
    {
      status: 404,
      id: 'not_found',
      message: 'The resource you were accessing could not be found.',
      type: NotFoundError,
      code: 'not_found',
    },
    {
      status: 422,
      id: 'unprocessable_entity',
      message: 'Droplet already has a pending event.',
      type: PendingEventError,
      code: 'pending_event',
    },
    {
      status: 422,
      id: 'unprocessable_entity',
      message: 'droplet already has a PENDING  EVENT',
      type: PendingEventError,
      code: 'pending_event',
    },
    {
      status: 422,
      id: 'unprocessable_entity',
      message: 'You specified an invalid size.',
      type: UnprocessableError,
      code: 'unprocessable',
    },
    {
      status: 429,
      id: 'too_many_requests',
      message: 'API Rate limit exceeded.',
      type: RateLimitedError,
      code: 'rate_limited',
    },
    {
      status: 500,
      id: 'server_error',
      message: 'Server was unable to give you a response.',
      type: ServerError,
      code: 'server_error',
    },
    {
      status: 503,
      id: 'service_unavailable',
      message: 'Service unavailable.',
      type: ServerError,
      code: 'server_error',
    },
    {
      status: 403,
      id: 'forbidden',
      message: 'You do not have access for the attempted action.',
      type: DigitalOceanError,
      code: 'http_403',
    },
  ])(
    'given HTTP $status "$message", when a GET fails, then the error code is $code with the API fields',
    async ({ status, id, message, type, code }) => {
      // Prepare
      const url = await serve((_request, response) => sendJson(response, status, doError(id, message)));
      // Act
      const error = await failure(testClient(url).getAction(7));
      // Assess
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({
        code,
        status,
        id,
        requestId: 'req-42',
        apiMessage: message,
        request: 'GET /v2/actions/7',
        outcomeUnknown: false,
      });
      expect(error.message).toContain(message);
      expect(error.message).toContain(`HTTP ${status}`);
    },
  );

  it('given a 429 with retry-after, then the error carries retryAfterSeconds', async () => {
    const url = await serve((_request, response) =>
      sendJson(response, 429, doError('too_many_requests', 'API Rate limit exceeded.'), {
        'retry-after': '17',
      }),
    );
    const error = await failure(testClient(url).getAction(7));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(17);
  });

  it('given a 5xx on a POST, then outcomeUnknown is true; a 4xx or 429 on a POST leaves it false', async () => {
    const statuses = [500, 422, 429];
    const url = await serve((_request, response, index) =>
      sendJson(response, statuses[index] ?? 500, doError('x', 'Something.')),
    );
    const client = testClient(url);
    const outcomes = [];
    for (let index = 0; index < statuses.length; index++) {
      const error = await failure(client.initiate(3164444, { type: 'power_off' }));
      outcomes.push([error.status, error.outcomeUnknown, error.request]);
    }
    expect(outcomes).toEqual([
      [500, true, 'POST /v2/droplets/3164444/actions'],
      [422, false, 'POST /v2/droplets/3164444/actions'],
      [429, false, 'POST /v2/droplets/3164444/actions'],
    ]);
  });

  it.each([
    [
      'an HTML 502 page from a proxy',
      502,
      'text/html',
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
      /HTML page titled '502 Bad Gateway' \(text\/html, \d+ bytes\)/,
    ],
    ['an empty body', 503, 'application/json', '', /empty body \(application\/json\)/],
    [
      'truncated JSON',
      500,
      'application/json',
      '{"id":"server_error","message":"Server was una',
      /truncated or malformed JSON \(application\/json, \d+ bytes\): '\{"id":"server_error"/,
    ],
    [
      'a plain-text body',
      500,
      'text/plain',
      'upstream connect error',
      /a text\/plain body \(text\/plain, 22 bytes\): 'upstream connect error'/,
    ],
    ['JSON that is not an error body', 500, 'application/json', '{"ok":false}', /JSON without a message/],
  ])(
    'given %s, then the error still has the status and says what arrived',
    async (_what, status, type, body, described) => {
      const url = await serve((_request, response) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      });
      const error = await failure(testClient(url).getDroplet(1));
      expect(error).toBeInstanceOf(ServerError);
      expect(error.status).toBe(status);
      expect(error.id).toBeUndefined();
      expect(error.apiMessage).toMatch(described);
    },
  );

  it('given a 2xx that is not JSON on a POST, then the error says so and the outcome is unknown', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(201, { 'content-type': 'text/html' });
      response.end('<p>created</p>');
    });
    const error = await failure(testClient(url).initiate(1, { type: 'reboot' }));
    expect(error.code).toBe('unexpected_response');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.apiMessage).toContain("expected JSON, got '<p>created</p>'");
  });

  it('given JSON of the wrong shape, then the error names the missing field', async () => {
    const url = await serve((_request, response) => sendJson(response, 200, { action: { id: 'seven' } }));
    const error = await failure(testClient(url).getAction(7));
    expect(error.code).toBe('unexpected_response');
    expect(error.apiMessage).toContain('action.id');
  });

  it('given nothing listens, when a POST is sent, then it is a NetworkError that was certainly not carried out', async () => {
    const port = await closedPort();
    const error = await failure(testClient(`http://127.0.0.1:${port}`).initiate(1, { type: 'reboot' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ status: 0, id: 'ECONNREFUSED', outcomeUnknown: false });
    expect(error.apiMessage).toContain('the request was not sent');
  });

  it('given the server drops the connection after reading a POST, then the outcome is unknown', async () => {
    const url = await serve((_request, response) => {
      response.socket?.destroy();
    });
    const error = await failure(testClient(url).initiate(1, { type: 'reboot' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.apiMessage).toContain('connection dropped');
  });

  it('given the connection drops in the middle of the body, then it is a NetworkError, not a parse error', async () => {
    const url = await serve((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'content-length': '500' });
      response.write('{"action":{"id":1');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const error = await failure(testClient(url).initiate(1, { type: 'reboot' }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.outcomeUnknown).toBe(true);
  });

  it('given the server never answers, then the attempt times out with outcomeUnknown on a POST only', async () => {
    const url = await serve(() => undefined);
    const client = testClient(url, { timeoutMs: 150 });
    const post = await failure(client.initiate(1, { type: 'reboot' }));
    const get = await failure(client.getAction(1));
    expect(post).toBeInstanceOf(NetworkError);
    expect(post.apiMessage).toBe('expected a response within 150 ms, got none (timed out)');
    expect(post.outcomeUnknown).toBe(true);
    expect(get.outcomeUnknown).toBe(false);
  });

  it('never keeps a ky or fetch object as the cause', async () => {
    const port = await closedPort();
    const refused = await failure(testClient(`http://127.0.0.1:${port}`).getAction(1));
    const url = await serve((_request, response) =>
      sendJson(response, 500, doError('server_error', 'Boom.')),
    );
    const serverError = await failure(testClient(url).getAction(1));
    expect(refused.cause).toBeUndefined();
    expect(serverError.cause).toBeUndefined();
  });
});
