/* eslint-disable @typescript-eslint/no-explicit-any -- walks whatever JSON the API answers */
import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: pagination', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeAll(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 45, tags: { staging: 45 } }));
  });
  afterAll(() => simulator.close());

  it('pages 20 at a time by default, with next/last links and meta.total', async () => {
    const response = await api.get('/v2/droplets?tag_name=staging');

    expect(response.body.droplets).toHaveLength(20);
    expect(response.body.meta).toEqual({ total: 45 });
    expect(response.body.links.pages).toEqual({
      next: `${simulator.url}/v2/droplets?tag_name=staging&page=2&per_page=20`,
      last: `${simulator.url}/v2/droplets?tag_name=staging&page=3&per_page=20`,
    });
  });

  it('gives first/prev and next/last in the middle, and only first/prev on the last page', async () => {
    const middle = await api.get('/v2/droplets?page=2&per_page=20');
    const last = await api.get(
      new URL(middle.body.links.pages.last).pathname + new URL(middle.body.links.pages.last).search,
    );

    expect(Object.keys(middle.body.links.pages).sort()).toEqual(['first', 'last', 'next', 'prev']);
    expect(middle.body.links.pages.prev).toBe(`${simulator.url}/v2/droplets?page=1&per_page=20`);
    expect(last.body.droplets).toHaveLength(5);
    expect(Object.keys(last.body.links.pages).sort()).toEqual(['first', 'prev']);
  });

  it('walks every droplet exactly once by following next links', async () => {
    const seen: number[] = [];
    let path: string | undefined = '/v2/droplets?per_page=7';
    for (let page = 0; path && page < 20; page += 1) {
      const response: { body: any } = await api.get(path);
      seen.push(...response.body.droplets.map((d: { id: number }) => d.id));
      const next: string | undefined = response.body.links.pages?.next;
      path = next && new URL(next).pathname + new URL(next).search;
    }

    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
  });

  it('caps per_page at 200 and refuses a per_page that is not a positive integer', async () => {
    const capped = await api.get('/v2/droplets?per_page=500');
    const refused = await api.get('/v2/droplets?per_page=0');

    expect(capped.body.droplets).toHaveLength(45);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/^per_page:/);
  });

  it('lists the account’s actions newest first, and a droplet’s own actions', async () => {
    const { droplets } = (await api.get('/v2/droplets?per_page=3')).body;
    const started: number[] = [];
    for (const droplet of droplets) {
      started.push((await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'reboot' })).body.action.id);
    }

    const all = await api.get('/v2/actions?per_page=2');
    const own = await api.get(`/v2/droplets/${droplets[1].id}/actions`);
    const one = await api.get(`/v2/droplets/${droplets[1].id}/actions/${started[1]}`);
    const elsewhere = await api.get(`/v2/droplets/${droplets[0].id}/actions/${started[1]}`);

    expect(all.body.actions.map((a: { id: number }) => a.id)).toEqual([started[2], started[1]]);
    expect(all.body.meta.total).toBeGreaterThanOrEqual(3);
    expect(all.body.links.pages.next).toContain('page=2');
    expect(own.body.actions.map((a: { id: number }) => a.id)).toEqual([started[1]]);
    expect(one.body.action.id).toBe(started[1]);
    expect(elsewhere.status).toBe(404);
  });

  it('returns an empty page past the end', async () => {
    const response = await api.get('/v2/droplets?page=9&per_page=20');

    expect(response.body.droplets).toEqual([]);
    expect(response.body.meta.total).toBe(45);
  });
});
