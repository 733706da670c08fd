import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import {
  NotFoundError,
  PendingEventError,
  ServerError,
  UnprocessableError,
} from '../../../../lambdas/core/errors';
import type { Action, Droplet, DropletApi } from '../../../../lambdas/core/ports/droplet-api';
import type { SimulatorHandle } from '../../../../simulator';
import { startTestSimulator } from '../../../support/start-simulator';
import { looseLimiter } from './test-client';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

async function all<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) items.push(...page);
  return items;
}

describe('DigitalOceanClient against the simulator: what parking reads and changes', () => {
  let simulator: SimulatorHandle;
  let client: DigitalOceanClient;

  /** A droplet to park: tagged, IPv6 and monitoring, in fra1, on a $48 size, powered off. */
  const seedDroplet = () =>
    simulator.addDroplet({
      name: 'web-7',
      region: 'fra1',
      sizeSlug: 's-4vcpu-8gb',
      usedDiskGb: 20,
      tags: ['park-me'],
      ipv6: true,
      monitoring: true,
      status: 'off',
    });

  /** Takes a snapshot of the droplet and lets it finish; returns the snapshot id. */
  async function snapshotOf(dropletId: number): Promise<number> {
    const action = await client.initiate(dropletId, { type: 'snapshot', name: 'web-7--park' });
    simulator.advance(DAY_MS);
    expect((await client.getAction(action.id)).status).toBe('completed');
    const [snapshot] = await all(client.listDropletSnapshots(dropletId));
    return snapshot!.id as number;
  }

  async function settled(action: Action): Promise<Action> {
    simulator.advance(HOUR_MS);
    return client.getAction(action.id);
  }

  beforeAll(async () => {
    ({ simulator } = await startTestSimulator({ droplets: 2, rateLimit: false }));
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    simulator.reset();
    simulator.setFaults({ serverErrorRate: 0 });
    client = new DigitalOceanClient({
      token: simulator.token,
      baseUrl: simulator.url,
      rateLimiter: looseLimiter(),
      retry: { limit: 2, baseDelayMs: 1, maxDelayMs: 5 },
      timeoutMs: 5_000,
    });
  });

  it('given a snapshot, when a droplet is created from it, then it is new, then active, with the spec asked for and a new public IPv4', async () => {
    // Prepare
    const original = await client.getDroplet(seedDroplet().id);
    const snapshotId = await snapshotOf(original.id);

    // Act
    const created = await client.createDroplet({
      name: 'web-7',
      region: 'fra1',
      size: 's-4vcpu-8gb',
      image: snapshotId,
      tags: ['park-me'],
      vpcUuid: original.vpcUuid,
      ipv6: true,
      monitoring: true,
    });
    const whileCreating = await client.getDroplet(created.id);
    simulator.advance(HOUR_MS);
    const after = await client.getDroplet(created.id);

    // Assess
    expect(created).toMatchObject({
      name: 'web-7',
      status: 'new',
      regionSlug: 'fra1',
      sizeSlug: 's-4vcpu-8gb',
    });
    expect(created.id).not.toBe(original.id);
    expect(whileCreating.locked).toBe(true);
    expect(after).toMatchObject({
      status: 'active',
      locked: false,
      tags: ['park-me'],
      vpcUuid: original.vpcUuid,
      imageId: snapshotId,
      priceMonthly: 48,
      priceHourly: expect.closeTo(48 / 672, 5),
      memoryMb: 8192,
      vcpus: 4,
      backupIds: [],
      volumeIds: [],
    });
    expect([...after.features].sort()).toEqual(['ipv6', 'monitoring', 'private_networking']);
    expect(after.publicIpv4).toMatch(/^198\.1[89]\.\d+\.\d+$/);
    expect(after.publicIpv4).not.toBe(original.publicIpv4);
    const [defaultProject] = (await all(client.listProjects())).filter((project) => project.isDefault);
    expect(await all(client.listProjectResources(defaultProject!.id))).toContain(`do:droplet:${created.id}`);
  });

  it('given a create body with a bad field, then it is refused before any request, naming the field', async () => {
    const before = simulator.requestCounts()['POST /v2/droplets'] ?? 0;

    const error = await client
      .createDroplet({ name: 'not a hostname', region: 'fra1', size: 's-1vcpu-1gb', image: 1 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).status).toBe(0);
    expect((error as Error).message).toMatch(/name: expected a hostname/);
    expect(simulator.requestCounts()['POST /v2/droplets'] ?? 0).toBe(before);
  });

  it('given a size not offered in the region, when a droplet is created, then DigitalOcean refuses it with a 422 naming the size', async () => {
    const snapshotId = await snapshotOf(seedDroplet().id);
    simulator.changeSize({ slug: 's-4vcpu-8gb', regions: ['nyc3'] });

    const error = await client
      .createDroplet({ name: 'web-7', region: 'fra1', size: 's-4vcpu-8gb', image: snapshotId })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UnprocessableError);
    expect((error as UnprocessableError).status).toBe(422);
    expect((error as Error).message).toMatch(/size: 's-4vcpu-8gb' is not available in fra1/);
    const sizes = await all(client.listSizes());
    expect(sizes.find((size) => size.slug === 's-4vcpu-8gb')).toMatchObject({
      regions: ['nyc3'],
      available: true,
      priceMonthly: 48,
      diskGb: 160,
      memoryMb: 8192,
      vcpus: 4,
    });
  });

  it('given a 5xx, then createDroplet is sent once and surfaces with outcomeUnknown, while firewall and project changes are retried', async () => {
    const droplet = seedDroplet();
    const firewall = simulator.addFirewall({ name: 'web' });
    const project = simulator.addProject({ name: 'web' });
    simulator.setFaults({ serverErrorRate: 1 });

    const create = await client
      .createDroplet({ name: 'web-8', region: 'fra1', size: 's-1vcpu-1gb', image: 'ubuntu-24-04-x64' })
      .catch((caught: unknown) => caught);
    const firewallAdd = await client
      .addDropletsToFirewall(firewall.id, [droplet.id])
      .catch((caught: unknown) => caught);
    const projectAssign = await client
      .assignProjectResources(project.id, [`do:droplet:${droplet.id}`])
      .catch((caught: unknown) => caught);
    simulator.setFaults({ serverErrorRate: 0 });

    expect(create).toBeInstanceOf(ServerError);
    expect((create as ServerError).outcomeUnknown).toBe(true);
    expect(firewallAdd).toBeInstanceOf(ServerError);
    expect(projectAssign).toBeInstanceOf(ServerError);
    const counts = simulator.requestCounts();
    expect(counts['POST /v2/droplets']).toBe(1);
    expect(counts['POST /v2/firewalls/{firewall_id}/droplets']).toBe(3);
    expect(counts['POST /v2/projects/{project_id}/resources']).toBe(3);
  });

  it('given a droplet with a reserved IP, a volume, a firewall, backups and a project, when it is destroyed, then the account keeps what DigitalOcean keeps', async () => {
    // Prepare
    const droplet = simulator.addDroplet({ name: 'db-1', region: 'fra1', backups: true, status: 'off' });
    const ip = simulator.addReservedIp({ dropletId: droplet.id });
    const volume = simulator.addVolume({ name: 'db-data', dropletId: droplet.id });
    const firewall = simulator.addFirewall({ name: 'db', dropletIds: [droplet.id], tags: ['db'] });
    const project = simulator.addProject({ name: 'databases', resources: [`do:droplet:${droplet.id}`] });
    const snapshotId = await snapshotOf(droplet.id);
    const backups = await all(client.listDropletBackups(droplet.id));

    // Act
    await client.deleteDroplet(droplet.id);

    // Assess
    await expect(client.getDroplet(droplet.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.deleteDroplet(droplet.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(backups.length).toBeGreaterThan(0);
    expect(simulator.state().backups.filter((backup) => backup.dropletId === droplet.id)).toEqual([]);
    expect(await all(client.listReservedIps())).toEqual([{ ip: ip.ip, regionSlug: 'fra1', dropletId: null }]);
    expect(await client.getVolume(volume.id)).toMatchObject({ id: volume.id, dropletIds: [] });
    expect(await all(client.listFirewalls())).toEqual([
      { id: firewall.id, name: 'db', dropletIds: [], tags: ['db'] },
    ]);
    expect(await all(client.listProjectResources(project.id))).toEqual([]);
    expect(await client.getSnapshot(snapshotId)).toMatchObject({
      id: snapshotId,
      name: 'web-7--park',
      resourceId: droplet.id,
      regions: ['fra1'],
      minDiskSize: droplet.disk,
    });
    expect((await all(client.listSnapshots())).map((snapshot) => snapshot.id)).toContain(snapshotId);
  });

  it('given an action running on a droplet, when it is destroyed, then DigitalOcean refuses with a pending event', async () => {
    const droplet = seedDroplet();
    await client.initiate(droplet.id, { type: 'power_on' });

    await expect(client.deleteDroplet(droplet.id)).rejects.toBeInstanceOf(PendingEventError);
  });

  it('given a free reserved IP, when it is assigned and unassigned, then each is an action and the IP follows once it completes', async () => {
    const droplet = seedDroplet();
    const { ip } = simulator.addReservedIp({ region: 'fra1' });

    const assign = await client.assignReservedIp(ip, droplet.id);
    const whileAssigning = await all(client.listReservedIps());
    const assigned = await settled(assign);
    const afterAssign = await all(client.listReservedIps());
    const unassign = await client.unassignReservedIp(ip);
    const unassigned = await settled(unassign);

    expect(assign).toMatchObject({ type: 'assign_ip', status: 'in-progress', resourceType: 'reserved_ip' });
    expect(whileAssigning[0]?.dropletId).toBeNull();
    expect(assigned.status).toBe('completed');
    expect(afterAssign).toEqual([{ ip, regionSlug: 'fra1', dropletId: droplet.id }]);
    expect(unassigned).toMatchObject({ type: 'unassign_ip', status: 'completed' });
    expect((await all(client.listReservedIps()))[0]?.dropletId).toBeNull();
  });

  it('given a volume, when it is attached and detached, then the droplet lists it in between', async () => {
    const droplet = seedDroplet();
    const volume = simulator.addVolume({ name: 'web-data', region: 'fra1', sizeGigabytes: 100 });

    const attached = await settled(await client.attachVolume(volume.id, droplet.id, 'fra1'));
    const withVolume: Droplet = await client.getDroplet(droplet.id);
    const listed = await all(client.listVolumes());
    const detached = await settled(await client.detachVolume(volume.id, droplet.id, 'fra1'));

    expect(attached).toMatchObject({ type: 'attach_volume', status: 'completed', resourceType: 'volume' });
    expect(withVolume.volumeIds).toEqual([volume.id]);
    expect(listed).toEqual([
      { id: volume.id, name: 'web-data', regionSlug: 'fra1', sizeGigabytes: 100, dropletIds: [droplet.id] },
    ]);
    expect(detached.status).toBe('completed');
    expect((await client.getDroplet(droplet.id)).volumeIds).toEqual([]);
    await expect(client.attachVolume(volume.id, droplet.id, 'nyc3')).rejects.toThrow(
      /region: expected the volume's region fra1/,
    );
  });

  it('given a firewall and a project, when droplets are added and removed, then the lists follow, and a missing droplet is not_found', async () => {
    const droplet = seedDroplet();
    const firewall = simulator.addFirewall({ name: 'web' });
    const project = simulator.addProject({ name: 'web' });

    await client.addDropletsToFirewall(firewall.id, [droplet.id]);
    await client.addDropletsToFirewall(firewall.id, [droplet.id]);
    const withDroplet = await all(client.listFirewalls());
    await client.removeDropletsFromFirewall(firewall.id, [droplet.id]);
    await client.assignProjectResources(project.id, [`do:droplet:${droplet.id}`]);

    expect(withDroplet[0]?.dropletIds).toEqual([droplet.id]);
    expect((await all(client.listFirewalls()))[0]?.dropletIds).toEqual([]);
    expect(await all(client.listProjectResources(project.id))).toEqual([`do:droplet:${droplet.id}`]);
    expect((await all(client.listProjects())).map((p) => [p.name, p.isDefault])).toEqual([
      ['first-project', true],
      ['web', false],
    ]);
    await expect(client.assignProjectResources(project.id, ['do:droplet:1'])).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('given enable_backups, when simulated days pass, then backups appear, and restore takes a backup id', async () => {
    const droplet = seedDroplet();
    await settled(await client.initiate(droplet.id, { type: 'enable_backups' }));

    simulator.advance(3 * DAY_MS);
    const backups = await all(client.listDropletBackups(droplet.id));
    const restore = await settled(
      await client.initiate(droplet.id, { type: 'restore', image: backups[0]!.id as number }),
    );
    const kernels = await all(client.listDropletKernels(droplet.id));

    expect(backups).toHaveLength(3);
    expect(backups[0]).toMatchObject({
      id: expect.any(Number),
      regions: ['fra1'],
      minDiskSize: droplet.disk,
    });
    expect((await client.getDroplet(droplet.id)).features).toContain('backups');
    expect(restore.status).toBe('completed');
    expect(kernels.length).toBeGreaterThan(0);
    expect(kernels[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      version: expect.any(String),
    });
  });

  it('satisfies the DropletApi port', () => {
    const api: DropletApi = client;
    expect(typeof api.createDroplet).toBe('function');
  });
});
