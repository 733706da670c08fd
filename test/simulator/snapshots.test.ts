import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: snapshots', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;
  let dropletId: number;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 0 }));
    dropletId = simulator.addDroplet({ name: 'web-01', usedDiskGb: 2 }).id;
    for (const name of ['first', undefined]) {
      await api.post(`/v2/droplets/${dropletId}/actions`, { type: 'snapshot', ...(name ? { name } : {}) });
      simulator.advance(86_400_000);
    }
  });
  afterEach(() => simulator.close());

  it('lists a droplet’s snapshots with integer ids, the given name or "<droplet>-<unix seconds>"', async () => {
    const { body } = await api.get(`/v2/droplets/${dropletId}/snapshots`);

    expect(body.meta.total).toBe(2);
    expect(body.snapshots.map((s: { name: string }) => s.name)).toEqual([
      'first',
      expect.stringMatching(/^web-01-\d{10}$/),
    ]);
    expect(body.snapshots.every((s: { id: unknown }) => Number.isInteger(s.id))).toBe(true);
    expect(body.snapshots[0]).toMatchObject({
      regions: ['nyc3'],
      min_disk_size: 25,
      size_gigabytes: 2,
      type: 'snapshot',
    });
  });

  it('deletes snapshots with 204 and no body, removing them from snapshot_ids; a second delete is 404', async () => {
    const [first, second] = (await api.get(`/v2/droplets/${dropletId}/snapshots`)).body.snapshots;

    const byNumber = await api.delete(`/v2/snapshots/${first.id}`);
    const byString = await api.delete(`/v2/snapshots/${String(second.id)}`);
    const again = await api.delete(`/v2/snapshots/${first.id}`);

    expect(byNumber.status).toBe(204);
    expect(byNumber.body).toBeUndefined();
    expect(byString.status).toBe(204);
    expect(again.status).toBe(404);
    expect((await api.get(`/v2/droplets/${dropletId}`)).body.droplet.snapshot_ids).toEqual([]);
    expect((await api.get(`/v2/droplets/${dropletId}/snapshots`)).body.meta.total).toBe(0);
  });

  it('answers 404 for a snapshot id that is not a number', async () => {
    expect((await api.delete('/v2/snapshots/fbe805e8-866b-11e6-96bf-000f53315a41')).status).toBe(404);
  });
});
