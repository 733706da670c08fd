import fc from 'fast-check';
import { DigitalOceanError } from '../../lambdas/core/errors/digitalocean-error';
import { startHttpTestServer, type HttpTestServer } from '../support/http-test-server';
import { testClient } from '../lambdas/adapters/digitalocean/test-client';

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const htmlGateway =
  '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

/** Bodies DigitalOcean (or a proxy in front of it) might send with an error status. */
const bodies = fc.oneof(
  fc.constant(''),
  fc.constant(htmlGateway),
  fc.constant('{"id":"server_error","message":"Unexpected server-side error"'), // truncated
  fc.constant('{"id":"not_found","message":"The resource you were accessing could not be found."}'),
  fc
    .record({ id: fc.string(), message: fc.string(), request_id: fc.option(fc.uuid(), { nil: undefined }) })
    .map((body) => JSON.stringify(body)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const answers: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504),
  contentType: fc.constantFrom('application/json', 'text/html', 'text/plain', 'application/octet-stream', ''),
  body: bodies,
});

describe('the DigitalOcean client, given any error body', () => {
  let server: HttpTestServer;
  let next: Answer = { status: 500, contentType: '', body: '' };

  beforeAll(async () => {
    server = await startHttpTestServer((_request, response) => {
      if (next.contentType) response.setHeader('content-type', next.contentType);
      response.statusCode = next.status;
      response.end(next.body);
    });
  });
  afterAll(() => server.close());

  it('always fails with an error of our family that carries the status', async () => {
    const client = testClient(server.url);
    await fc.assert(
      fc.asyncProperty(answers, fc.boolean(), async (answer, isPost) => {
        next = answer;
        const failure = await (isPost ? client.initiate(7, { type: 'reboot' }) : client.getDroplet(7)).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(DigitalOceanError);
        const error = failure as DigitalOceanError;
        expect(error.status).toBe(answer.status);
        expect(error.message).toContain(String(answer.status));
        // A POST answered 5xx may have been carried out; a 4xx certainly was not.
        expect(error.outcomeUnknown).toBe(isPost && answer.status >= 500);
      }),
      { numRuns: 150 },
    );
  });

  it('fails with an error of our family when a success status carries a body that is not the resource', async () => {
    const client = testClient(server.url);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          status: fc.constantFrom(200, 201),
          contentType: fc.constantFrom('application/json', 'text/html', ''),
          body: bodies,
        }),
        async (answer) => {
          next = answer;
          const failure = await client.getDroplet(7).then(
            () => undefined,
            (error: unknown) => error,
          );
          expect(failure).toBeInstanceOf(DigitalOceanError);
        },
      ),
      { numRuns: 100 },
    );
  });
});
