import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type SimulatorApi } from '../support/start-simulator';

describe('the simulator: GET /_simulator/history', () => {
  let simulator: SimulatorHandle;
  let api: SimulatorApi;

  beforeEach(async () => {
    ({ simulator, api } = await startTestSimulator({ droplets: 1 }));
  });
  afterEach(() => simulator.close());

  const history = async () => {
    const response = await fetch(`${simulator.url}/_simulator/history`);
    return { status: response.status, body: (await response.json()) as { history: unknown[] } };
  };

  it('given a snapshot, a create from it, a destroy and a snapshot deletion, lists each once, oldest first, on the simulator clock', async () => {
    const [droplet] = (await api.get('/v2/droplets')).body.droplets;
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'power_off' });
    simulator.advance(60_000);
    await api.post(`/v2/droplets/${droplet.id}/actions`, { type: 'snapshot', name: 'keep-me' });
    simulator.advance(3_600_000);
    const [snapshot] = simulator.state().snapshots;
    const takenAt = simulator.now();
    const created = await api.post('/v2/droplets', {
      name: 'again',
      region: droplet.region.slug,
      size: droplet.size_slug,
      image: snapshot!.id,
      tags: ['web'],
    });
    simulator.advance(60_000);
    const destroyed = await api.delete(`/v2/droplets/${droplet.id}`);
    const failedDelete = await api.delete(`/v2/droplets/${droplet.id}`);
    const deleted = await api.delete(`/v2/snapshots/${snapshot!.id}`);

    const { status, body } = await history();

    expect([created.status, destroyed.status, failedDelete.status, deleted.status]).toEqual([
      202, 204, 404, 204,
    ]);
    expect(status).toBe(200);
    expect(body.history).toEqual([
      {
        kind: 'snapshot-taken',
        at: snapshot!.createdAt,
        snapshotId: snapshot!.id,
        dropletId: droplet.id,
        name: 'keep-me',
        sizeGigabytes: snapshot!.sizeGigabytes,
      },
      {
        kind: 'droplet-created',
        at: takenAt,
        dropletId: created.body.droplet.id,
        name: 'again',
        imageId: snapshot!.id,
        tags: ['web'],
        actionId: created.body.links.actions[0].id,
      },
      { kind: 'droplet-destroyed', at: takenAt + 60_000, dropletId: droplet.id, name: droplet.name },
      {
        kind: 'snapshot-deleted',
        at: takenAt + 60_000,
        snapshotId: snapshot!.id,
        dropletId: droplet.id,
        name: 'keep-me',
      },
    ]);
    expect(simulator.history()).toEqual(body.history);
  });

  it('given a reset, starts the history over', async () => {
    const [droplet] = (await api.get('/v2/droplets')).body.droplets;
    await api.delete(`/v2/droplets/${droplet.id}`);

    simulator.reset();

    expect((await history()).body.history).toEqual([]);
  });
});
