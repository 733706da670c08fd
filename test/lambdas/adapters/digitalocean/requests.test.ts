import { UnprocessableError } from '../../../../lambdas/core/errors';
import {
  sendJson,
  startHttpTestServer,
  type HttpTestServer,
  type ScriptedHandler,
} from '../../../support/http-test-server';
import { wireAction, wireDroplet } from './fixtures';
import { testClient } from './test-client';

async function collect<T>(pages: AsyncIterable<readonly T[]>, maxPages = 20): Promise<T[][]> {
  const result: T[][] = [];
  for await (const page of pages) {
    result.push([...page]);
    if (result.length >= maxPages) break;
  }
  return result;
}

describe('DigitalOceanClient requests and responses', () => {
  let server: HttpTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function serve(handler: ScriptedHandler): Promise<HttpTestServer> {
    server = await startHttpTestServer(handler);
    return server;
  }

  it('given an action, when initiated, then it POSTs the body and maps the snake_case answer to camelCase', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 201, { action: wireAction({ id: 11, type: 'resize', resource_id: 42 }) }),
    );
    const action = await testClient(scripted.url).initiate(42, {
      type: 'resize',
      size: 's-2vcpu-2gb',
      disk: false,
    });
    expect(scripted.requests[0]).toMatchObject({ method: 'POST', url: '/v2/droplets/42/actions' });
    expect(scripted.requests[0]?.headers['content-type']).toContain('application/json');
    expect(JSON.parse(scripted.requests[0]?.body ?? '')).toEqual({
      type: 'resize',
      size: 's-2vcpu-2gb',
      disk: false,
    });
    expect(action).toEqual({
      id: 11,
      type: 'resize',
      status: 'in-progress',
      startedAt: '2026-11-27T08:00:00Z',
      completedAt: null,
      resourceId: 42,
      resourceType: 'droplet',
      regionSlug: 'fra1',
    });
  });

  it('given a bulk action, when initiated by tag, then it POSTs to the tag endpoint and returns every action', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 201, { actions: [wireAction({ id: 1 }), wireAction({ id: 2, resource_id: 7 })] }),
    );
    const actions = await testClient(scripted.url).initiateByTag('staging env', {
      type: 'snapshot',
      name: 'nightly',
    });
    expect(scripted.requests[0]?.url).toBe('/v2/droplets/actions?tag_name=staging+env');
    expect(actions.map((action) => [action.id, action.resourceId])).toEqual([
      [1, 3164444],
      [2, 7],
    ]);
  });

  it.each([
    [{ type: 'resize' }, /size: Invalid input: expected string, received undefined/],
    [{ type: 'rename', name: 'not a hostname' }, /name: expected a hostname.*got "not a hostname"/],
    [{ type: 'change_backup_policy' }, /backup_policy: /],
    [{ type: 'reboot', image: 5 }, /Unrecognized key: "image"/],
    [{ type: 'teleport' }, /type: Invalid discriminator value/],
  ])(
    'given the invalid action %j, then it is refused before sending, naming the parameter',
    async (action, named) => {
      const scripted = await serve((_request, response) => sendJson(response, 201, { action: wireAction() }));
      const client = testClient(scripted.url);
      const error = await client.initiate(1, action as never).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UnprocessableError);
      expect((error as UnprocessableError).apiMessage).toMatch(/^not sent: /);
      expect((error as UnprocessableError).apiMessage).toMatch(named);
      expect(scripted.requests).toHaveLength(0);
      expect(client.requestCount).toBe(0);
    },
  );

  it('given a type DigitalOcean does not accept by tag, then initiateByTag refuses it before sending', async () => {
    const scripted = await serve((_request, response) => sendJson(response, 201, { actions: [] }));
    const error = await testClient(scripted.url)
      .initiateByTag('staging', { type: 'reboot' } as never)
      .catch((thrown: unknown) => thrown);
    expect((error as UnprocessableError).apiMessage).toMatch(/type: expected one of .*got 'reboot'/);
    expect(scripted.requests).toHaveLength(0);
  });

  it('given several pages, then the list follows links.pages.next with per_page 200 and stops at the last', async () => {
    const scripted = await serve((request, response) => {
      const page = Number(new URL(request.url, 'http://x').searchParams.get('page') ?? '1');
      const next =
        page < 3
          ? {
              pages: {
                next: `https://api.digitalocean.com/v2/droplets?page=${page + 1}&per_page=200&tag_name=web`,
              },
            }
          : {};
      sendJson(response, 200, {
        droplets: [wireDroplet({ id: page, disk: 50 })],
        links: next,
        meta: { total: 3 },
      });
    });
    const pages = await collect(testClient(scripted.url).listDroplets({ tag: 'web' }));
    expect(pages.map((page) => page.map((droplet) => droplet.id))).toEqual([[1], [2], [3]]);
    expect(pages[0]?.[0]).toEqual({
      id: 1,
      name: 'web-1',
      status: 'active',
      locked: false,
      tags: ['staging'],
      sizeSlug: 's-1vcpu-1gb',
      diskGb: 50,
      regionSlug: 'fra1',
      // A trimmed body: the lists DigitalOcean always sends default to empty.
      features: [],
      backupIds: [],
      snapshotIds: [],
      volumeIds: [],
      memoryMb: 1024,
      vcpus: 1,
    });
    // Every page went to our own server (never to the host the link names), with the link's query.
    expect(scripted.requests.map((request) => request.url)).toEqual([
      '/v2/droplets?tag_name=web&per_page=200',
      '/v2/droplets?page=2&per_page=200&tag_name=web',
      '/v2/droplets?page=3&per_page=200&tag_name=web',
    ]);
  });

  it('given a consumer that stops after one page, then no further page is requested', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 200, { actions: [wireAction()], links: { pages: { next: '/v2/actions?page=2' } } }),
    );
    for await (const page of testClient(scripted.url).listActions({ perPage: 50 })) {
      expect(page).toHaveLength(1);
      break;
    }
    expect(scripted.requests.map((request) => request.url)).toEqual(['/v2/actions?per_page=50']);
  });

  it('given a start page, then the list asks for that page first and follows links from there', async () => {
    const scripted = await serve((request, response) => {
      const page = Number(new URL(request.url, 'http://x').searchParams.get('page') ?? '1');
      sendJson(response, 200, {
        actions: [wireAction({ id: page })],
        links: page < 8 ? { pages: { next: `/v2/actions?page=${page + 1}&per_page=200` } } : {},
      });
    });
    const pages = await collect(testClient(scripted.url).listActions({ startPage: 7 }));
    expect(pages.map((page) => page.map((action) => action.id))).toEqual([[7], [8]]);
    expect(scripted.requests.map((request) => request.url)).toEqual([
      '/v2/actions?per_page=200&page=7',
      '/v2/actions?page=8&per_page=200',
    ]);
  });

  it('given a start page that is not a positive integer, then the list refuses it before sending', async () => {
    const scripted = await serve((_request, response) => sendJson(response, 200, { actions: [] }));
    await expect(collect(testClient(scripted.url).listActions({ startPage: 0 }))).rejects.toThrow(
      'startPage: expected an integer of 1 or more, got 0',
    );
    expect(scripted.requests).toHaveLength(0);
  });

  it('given a next link that points back at a page already read, then the list fails instead of looping', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 200, {
        actions: [wireAction()],
        links: { pages: { next: '/v2/droplets/5/actions?per_page=200' } },
      }),
    );
    await expect(collect(testClient(scripted.url).listDropletActions(5))).rejects.toMatchObject({
      code: 'unexpected_response',
    });
    expect(scripted.requests).toHaveLength(1);
  });

  it('maps snapshots, with integer or string ids', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 200, {
        snapshots: [
          {
            id: 6372321,
            name: 'nightly',
            created_at: '2026-11-26T02:00:00Z',
            size_gigabytes: 2.34,
            min_disk_size: 25,
            regions: ['fra1'],
            type: 'snapshot',
          },
          {
            id: 'abc',
            name: 'other',
            created_at: '2026-11-25T02:00:00Z',
            size_gigabytes: 1,
            type: 'snapshot',
          },
        ],
        links: {},
      }),
    );
    const [page] = await collect(testClient(scripted.url).listDropletSnapshots(3));
    expect(scripted.requests[0]?.url).toBe('/v2/droplets/3/snapshots?per_page=200');
    expect(page).toEqual([
      {
        id: 6372321,
        name: 'nightly',
        createdAt: '2026-11-26T02:00:00Z',
        sizeGigabytes: 2.34,
        minDiskSize: 25,
        regions: ['fra1'],
      },
      {
        id: 'abc',
        name: 'other',
        createdAt: '2026-11-25T02:00:00Z',
        sizeGigabytes: 1,
        minDiskSize: 0,
        regions: [],
      },
    ]);
  });

  it.each([0, 201, 1.5])(
    'given perPage %p, then the list refuses it with a ConfigurationError',
    async (perPage) => {
      const scripted = await serve((_request, response) => sendJson(response, 200, { actions: [] }));
      await expect(collect(testClient(scripted.url).listActions({ perPage }))).rejects.toMatchObject({
        code: 'configuration_invalid',
        message: `perPage: expected an integer from 1 to 200, got ${perPage}`,
      });
    },
  );

  it('given a base URL with a path prefix, then requests keep the prefix', async () => {
    const scripted = await serve((_request, response) =>
      sendJson(response, 200, { action: wireAction({ id: 9 }) }),
    );
    await testClient(`${scripted.url}/proxy/`).getAction(9);
    expect(scripted.requests[0]?.url).toBe('/proxy/v2/actions/9');
  });
});
