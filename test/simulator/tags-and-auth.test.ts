import type { SimulatorHandle } from '../../simulator';
import { generateToken } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: tags and authentication', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeAll(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 20, tags: { staging: 5, production: 3 } }));
  });
  afterAll(() => simulator.close());

  it('given 20 droplets and staging=5, when listing by tag_name=staging, then exactly 5 staging droplets come back', async () => {
    const response = await api.get('/v2/droplets?tag_name=staging');

    expect(response.status).toBe(200);
    expect(response.body.droplets).toHaveLength(5);
    expect(response.body.droplets.every((d: { tags: string[] }) => d.tags.includes('staging'))).toBe(true);
    expect(response.body.meta).toEqual({ total: 5 });
  });

  it('lays tags out on disjoint consecutive droplets, deterministically', async () => {
    const staging = (await api.get('/v2/droplets?tag_name=staging')).body.droplets.map(
      (d: { id: number }) => d.id,
    );
    const production = (await api.get('/v2/droplets?tag_name=production')).body.droplets.map(
      (d: { id: number }) => d.id,
    );

    expect(production).toHaveLength(3);
    expect(production.filter((id: number) => staging.includes(id))).toEqual([]);
    expect(Math.min(...production)).toBe(Math.max(...staging) + 1);
  });

  it('lists every droplet without a tag filter, and none for an unknown tag', async () => {
    expect((await api.get('/v2/droplets?per_page=200')).body.droplets).toHaveLength(20);
    expect((await api.get('/v2/droplets?tag_name=nope')).body).toEqual({
      droplets: [],
      links: {},
      meta: { total: 0 },
    });
  });

  it('refuses another token with 401 in DigitalOcean shape', async () => {
    const response = await api.get('/v2/droplets?tag_name=staging', generateToken());

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      id: 'unauthorized',
      message: 'Unable to authenticate you',
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('refuses a request with no Authorization header', async () => {
    const response = await fetch(`${simulator.url}/v2/droplets`);

    expect(response.status).toBe(401);
    expect(((await response.json()) as { id: string }).id).toBe('unauthorized');
  });

  it('generates a dop_v1_ token of 64 hex digits when none is given', () => {
    expect(simulator.token).toMatch(/^dop_v1_[0-9a-f]{64}$/);
  });

  it('answers 404 not_found for an unknown route and an unknown droplet', async () => {
    for (const path of ['/v2/domains', '/v2/droplets/1', '/v2/droplets/abc', '/v2/actions/7']) {
      const response = await api.get(path);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ id: 'not_found', request_id: expect.any(String) });
    }
  });

  it('serves one droplet with the fields the spec requires', async () => {
    const [first] = (await api.get('/v2/droplets?per_page=1')).body.droplets;
    const response = await api.get(`/v2/droplets/${first.id}`);

    expect(response.status).toBe(200);
    expect(Object.keys(response.body.droplet)).toEqual(
      expect.arrayContaining([
        'id',
        'name',
        'memory',
        'vcpus',
        'disk',
        'locked',
        'status',
        'created_at',
        'features',
        'backup_ids',
        'next_backup_window',
        'snapshot_ids',
        'image',
        'volume_ids',
        'size',
        'size_slug',
        'networks',
        'region',
        'tags',
      ]),
    );
  });

  it('generates the same fleet for the same seed', async () => {
    const twin = await startTestSimulator({ droplets: 20, tags: { staging: 5, production: 3 } });
    try {
      const mine = (await api.get('/v2/droplets')).body.droplets.map((d: { name: string; disk: number }) => [
        d.name,
        d.disk,
      ]);
      const theirs = (await twin.api.get('/v2/droplets')).body.droplets.map(
        (d: { name: string; disk: number }) => [d.name, d.disk],
      );
      expect(theirs).toEqual(mine);
    } finally {
      await twin.simulator.close();
    }
  });
});
