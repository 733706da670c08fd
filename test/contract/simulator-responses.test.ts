/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents and API bodies are untyped JSON */
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { join } from 'node:path';
import type { SimulatorHandle } from '../../simulator';
import { startTestSimulator, type ApiResponse, type SimulatorApi } from '../support/start-simulator';

const SPEC_PATH = join(
  __dirname,
  '..',
  '..',
  '..',
  'shared',
  'digitalocean-openapi',
  'specification',
  'DigitalOcean-public.v2.yaml',
);
const SPEC = process.env.DIGITALOCEAN_OPENAPI_SPEC ?? SPEC_PATH;

/**
 * OpenAPI 3.0 schema objects are not quite JSON Schema: `nullable` has to become a `null` type and
 * the documentation-only keywords (`example`, `discriminator`, `x-*`) are dropped. The dereferenced
 * spec shares sub-objects, so the conversion is memoised per object.
 */
function toJsonSchema(schema: any, seen = new Map<object, any>()): any {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, seen));
  if (schema === null || typeof schema !== 'object') return schema;
  const done = seen.get(schema);
  if (done) return done;
  const converted: any = {};
  seen.set(schema, converted);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'example' || key === 'examples' || key === 'discriminator' || key.startsWith('x-')) continue;
    if (key === 'nullable') continue;
    // Property names are data, not keywords: convert their schemas, keep the names.
    converted[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([name, sub]) => [name, toJsonSchema(sub, seen)]),
          )
        : toJsonSchema(value, seen);
  }
  if (schema.nullable === true) {
    if (typeof converted.type === 'string') {
      converted.type = [converted.type, 'null'];
      if (Array.isArray(converted.enum)) converted.enum = [...converted.enum, null];
    } else {
      const inner = { ...converted };
      for (const key of Object.keys(converted)) delete converted[key];
      converted.anyOf = [inner, { type: 'null' }];
    }
  }
  return converted;
}

interface Contract {
  body(template: string, method: string, status: number): ValidateFunction | undefined;
  headers(template: string, method: string, status: number): Record<string, any>;
}

function buildContract(spec: any): Contract {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['float', 'double', 'int32', 'int64']) ajv.addFormat(format, true);
  const cache = new Map<string, ValidateFunction | undefined>();
  const response = (template: string, method: string, status: number) => {
    const operation = spec.paths[template]?.[method.toLowerCase()];
    if (!operation) throw new Error(`the spec has no ${method} ${template}`);
    return operation.responses[String(status)] ?? operation.responses.default;
  };
  return {
    body(template, method, status) {
      const key = `${method} ${template} ${status}`;
      if (!cache.has(key)) {
        const schema = response(template, method, status)?.content?.['application/json']?.schema;
        cache.set(key, schema && ajv.compile(toJsonSchema(schema)));
      }
      return cache.get(key);
    },
    headers: (template, method, status) => response(template, method, status)?.headers ?? {},
  };
}

describe('the simulator’s responses against the official DigitalOcean OpenAPI spec', () => {
  let contract: Contract;
  let simulator: SimulatorHandle;
  let api: SimulatorApi;
  let checked = 0;

  beforeAll(async () => {
    const started = performance.now();
    contract = buildContract(await SwaggerParser.dereference(SPEC));
    // About 0.8 s under tsx and 2.5 s under jest here; printed so that a slow spec shows up.
    console.log(`dereferenced the spec in ${Math.round(performance.now() - started)} ms`);
    ({ simulator, api } = await startTestSimulator({
      droplets: 30,
      tags: { staging: 25 },
      seedDroplets: [{ status: 'off', backups: true, ipv6: true, tags: ['special'] }],
      rateLimit: { perMinute: 1000, perHour: 5000 },
    }));
  }, 60_000);
  afterAll(async () => {
    await simulator?.close();
    // Every test below validates at least once; this guards against a helper that silently skips.
    expect(checked).toBeGreaterThan(20);
  });

  function expectConforms(template: string, method: string, response: ApiResponse): void {
    const validate = contract.body(template, method, response.status);
    if (response.status === 204) {
      expect(response.body).toBeUndefined();
    } else {
      expect(validate).toBeDefined();
      const valid = validate!(response.body);
      expect({ template, method, status: response.status, errors: valid ? [] : validate!.errors }).toEqual({
        template,
        method,
        status: response.status,
        errors: [],
      });
    }
    for (const [name, header] of Object.entries(contract.headers(template, method, response.status))) {
      if (!name.startsWith('ratelimit-')) continue;
      const value = response.headers.get(name);
      expect({ name, value }).toEqual({ name, value: expect.stringMatching(/^\d+$/) });
      expect(header.schema.type).toBe('integer');
    }
    checked += 1;
  }

  const dropletIds = async (query = ''): Promise<number[]> =>
    (await api.get(`/v2/droplets${query}`)).body.droplets.map((d: { id: number }) => d.id);

  it('rejects a broken body, so that a pass means something', async () => {
    const validate = contract.body('/v2/droplets/{droplet_id}', 'GET', 200)!;
    const [id] = await dropletIds('?per_page=1');
    const { droplet } = (await api.get(`/v2/droplets/${id}`)).body;
    const { networks: _networks, ...withoutNetworks } = droplet;

    expect(validate({ droplet })).toBe(true);
    expect(validate({ droplet: withoutNetworks })).toBe(false);
    expect(validate({ droplet: { ...droplet, status: 'sleeping' } })).toBe(false);
    expect(validate({ droplet: { ...droplet, next_backup_window: 'soon' } })).toBe(false);
    expect(contract.body('/v2/actions/{action_id}', 'GET', 200)!({ action: { id: 1, status: 'done' } })).toBe(
      false,
    );
  });

  it('GET /v2/droplets: plain, by tag, on every page and with links', async () => {
    expectConforms('/v2/droplets', 'GET', await api.get('/v2/droplets'));
    expectConforms('/v2/droplets', 'GET', await api.get('/v2/droplets?tag_name=staging&per_page=10&page=2'));
    expectConforms('/v2/droplets', 'GET', await api.get('/v2/droplets?tag_name=special'));
    expectConforms('/v2/droplets', 'GET', await api.get('/v2/droplets?tag_name=nobody'));
  });

  it('GET /v2/droplets/{droplet_id}: active, off with backups and IPv6, locked, with a kernel', async () => {
    const [first] = await dropletIds();
    const [special] = await dropletIds('?tag_name=special');
    await api.post(`/v2/droplets/${special}/actions`, { type: 'change_kernel', kernel: 7515 });
    simulator.advance(3_600_000);
    await api.post(`/v2/droplets/${special}/actions`, { type: 'power_on' });

    expectConforms('/v2/droplets/{droplet_id}', 'GET', await api.get(`/v2/droplets/${first}`));
    expectConforms('/v2/droplets/{droplet_id}', 'GET', await api.get(`/v2/droplets/${special}`));
    expectConforms('/v2/droplets/{droplet_id}', 'GET', await api.get('/v2/droplets/1'));
  });

  it('POST /v2/droplets/{droplet_id}/actions for every type, and its 404 and 422', async () => {
    const ids = await dropletIds('?per_page=20');
    const bodies = [
      { type: 'power_off' },
      { type: 'shutdown' },
      { type: 'reboot' },
      { type: 'power_cycle' },
      { type: 'enable_backups', backup_policy: { plan: 'weekly', weekday: 'TUE', hour: 8 } },
      { type: 'disable_backups' },
      { type: 'password_reset' },
      { type: 'rebuild', image: 'ubuntu-24-04-x64' },
      { type: 'rename', name: 'renamed' },
      { type: 'change_kernel', kernel: 1 },
      { type: 'enable_ipv6' },
      { type: 'snapshot', name: 'contract' },
    ];
    for (const [index, body] of bodies.entries()) {
      expectConforms(
        '/v2/droplets/{droplet_id}/actions',
        'POST',
        await api.post(`/v2/droplets/${ids[index]}/actions`, body),
      );
    }
    const pending = await api.post(`/v2/droplets/${ids[0]}/actions`, { type: 'reboot' });
    const invalid = await api.post(`/v2/droplets/${ids[19]}/actions`, { type: 'resize' });
    const missing = await api.post('/v2/droplets/1/actions', { type: 'reboot' });

    expect([pending.status, invalid.status, missing.status]).toEqual([422, 422, 404]);
    for (const response of [pending, invalid, missing]) {
      expectConforms('/v2/droplets/{droplet_id}/actions', 'POST', response);
    }
  });

  it('POST /v2/droplets/actions by tag, including errored actions for droplets that cannot act', async () => {
    simulator.advance(86_400_000);
    expectConforms(
      '/v2/droplets/actions',
      'POST',
      await api.post('/v2/droplets/actions?tag_name=staging', { type: 'power_on' }),
    );
    const refused = await api.post('/v2/droplets/actions?tag_name=staging', { type: 'reboot' });

    expect(refused.status).toBe(422);
    expectConforms('/v2/droplets/actions', 'POST', refused);
  });

  it('GET /v2/actions and /v2/actions/{action_id}: in progress, completed and errored', async () => {
    const listed = await api.get('/v2/actions?per_page=50&page=2');
    const newest = (await api.get('/v2/actions?per_page=1')).body.actions[0];
    const completed = (await api.get('/v2/actions?per_page=200')).body.actions.find(
      (a: { status: string }) => a.status === 'completed',
    );
    const errored = (await api.get('/v2/actions?per_page=200')).body.actions.find(
      (a: { status: string }) => a.status === 'errored',
    );

    expect([newest, completed, errored].every(Boolean)).toBe(true);
    expectConforms('/v2/actions', 'GET', listed);
    for (const action of [newest, completed, errored]) {
      expectConforms('/v2/actions/{action_id}', 'GET', await api.get(`/v2/actions/${action.id}`));
    }
    expectConforms('/v2/actions/{action_id}', 'GET', await api.get('/v2/actions/1'));
  });

  it('GET /v2/droplets/{droplet_id}/actions and /{action_id}', async () => {
    const [first] = await dropletIds();
    const actions = await api.get(`/v2/droplets/${first}/actions`);

    expectConforms('/v2/droplets/{droplet_id}/actions', 'GET', actions);
    expectConforms(
      '/v2/droplets/{droplet_id}/actions/{action_id}',
      'GET',
      await api.get(`/v2/droplets/${first}/actions/${actions.body.actions[0].id}`),
    );
  });

  it('GET /v2/droplets/{droplet_id}/snapshots and DELETE /v2/snapshots/{snapshot_id}', async () => {
    const ids = await dropletIds('?per_page=20');
    simulator.advance(10 * 86_400_000);
    const snapshots = await api.get(`/v2/droplets/${ids[11]}/snapshots`);

    expect(snapshots.body.snapshots).toHaveLength(1);
    expectConforms('/v2/droplets/{droplet_id}/snapshots', 'GET', snapshots);
    expectConforms(
      '/v2/droplets/{droplet_id}/snapshots',
      'GET',
      await api.get(`/v2/droplets/${ids[0]}/snapshots`),
    );
    expectConforms(
      '/v2/snapshots/{snapshot_id}',
      'DELETE',
      await api.delete(`/v2/snapshots/${snapshots.body.snapshots[0].id}`),
    );
    expectConforms('/v2/snapshots/{snapshot_id}', 'DELETE', await api.delete('/v2/snapshots/42'));
  });

  it('POST /v2/droplets from a snapshot, its 422, and the created droplet while new and once active', async () => {
    const source = simulator.addDroplet({
      name: 'park-1',
      region: 'fra1',
      usedDiskGb: 2,
      status: 'off',
      ipv6: true,
    });
    await api.post(`/v2/droplets/${source.id}/actions`, { type: 'snapshot', name: 'park-1-snap' });
    simulator.advance(86_400_000);
    const snapshotId = (await api.get(`/v2/droplets/${source.id}/snapshots`)).body.snapshots[0].id;

    const created = await api.post('/v2/droplets', {
      name: 'park-1',
      region: 'fra1',
      size: 's-1vcpu-1gb',
      image: snapshotId,
      tags: ['parked'],
      ipv6: true,
      monitoring: true,
      backups: true,
    });
    const refused = await api.post('/v2/droplets', {
      name: 'park-1',
      region: 'fra1',
      size: 'huge',
      image: snapshotId,
    });
    const whileNew = await api.get(`/v2/droplets/${created.body.droplet.id}`);
    simulator.advance(3_600_000);

    expect(created.status).toBe(202);
    expect(created.body.links.actions[0]).toMatchObject({ rel: 'create', id: expect.any(Number) });
    expect(whileNew.body.droplet).toMatchObject({
      status: 'new',
      image: { id: snapshotId, type: 'snapshot' },
    });
    expect(refused.status).toBe(422);
    expectConforms('/v2/droplets', 'POST', created);
    expectConforms('/v2/droplets', 'POST', refused);
    expectConforms('/v2/droplets/{droplet_id}', 'GET', whileNew);
    expectConforms(
      '/v2/droplets/{droplet_id}',
      'GET',
      await api.get(`/v2/droplets/${created.body.droplet.id}`),
    );
    expectConforms(
      '/v2/actions/{action_id}',
      'GET',
      await api.get(`/v2/actions/${created.body.links.actions[0].id}`),
    );
  });

  it('DELETE /v2/droplets/{droplet_id}: 204, then 404, and 422 while an action runs', async () => {
    const idle = simulator.addDroplet({ name: 'gone-1' });
    const busy = simulator.addDroplet({ name: 'busy-1' });
    await api.post(`/v2/droplets/${busy.id}/actions`, { type: 'reboot' });

    const deleted = await api.delete(`/v2/droplets/${idle.id}`);
    const again = await api.delete(`/v2/droplets/${idle.id}`);
    const locked = await api.delete(`/v2/droplets/${busy.id}`);

    expect([deleted.status, again.status, locked.status]).toEqual([204, 404, 422]);
    for (const response of [deleted, again, locked]) {
      expectConforms('/v2/droplets/{droplet_id}', 'DELETE', response);
    }
  });

  it('GET /v2/sizes, /v2/snapshots, /v2/snapshots/{snapshot_id} and /v2/images/{image_id}', async () => {
    const withBackups = simulator.addDroplet({ name: 'backed-1', backups: true });
    const snapshots = await api.get('/v2/snapshots?resource_type=droplet');
    const [snapshot] = snapshots.body.snapshots;

    expect(snapshot).toBeDefined();
    expect(
      contract.body('/v2/sizes', 'GET', 200)!({ sizes: [{ slug: 's-1vcpu-1gb' }], meta: { total: 1 } }),
    ).toBe(false);
    expectConforms('/v2/sizes', 'GET', await api.get('/v2/sizes'));
    expectConforms('/v2/sizes', 'GET', await api.get('/v2/sizes?per_page=2&page=2'));
    expectConforms('/v2/snapshots', 'GET', snapshots);
    expectConforms('/v2/snapshots', 'GET', await api.get('/v2/snapshots?resource_type=volume'));
    expectConforms('/v2/snapshots/{snapshot_id}', 'GET', await api.get(`/v2/snapshots/${snapshot.id}`));
    expectConforms('/v2/snapshots/{snapshot_id}', 'GET', await api.get('/v2/snapshots/42'));
    expectConforms('/v2/images/{image_id}', 'GET', await api.get(`/v2/images/${snapshot.id}`));
    expectConforms('/v2/images/{image_id}', 'GET', await api.get(`/v2/images/${withBackups.backupIds[0]}`));
    expectConforms('/v2/images/{image_id}', 'GET', await api.get('/v2/images/ubuntu-24-04-x64'));
    expectConforms('/v2/images/{image_id}', 'GET', await api.get('/v2/images/160231427'));
    expectConforms('/v2/images/{image_id}', 'GET', await api.get('/v2/images/7'));
  });

  it('GET /v2/droplets/{droplet_id}/backups and /kernels', async () => {
    const droplet = simulator.addDroplet({ name: 'backed-2', backups: true });
    simulator.advance(2 * 86_400_000);

    const backups = await api.get(`/v2/droplets/${droplet.id}/backups`);
    expect(backups.body.backups.length).toBeGreaterThanOrEqual(2);
    expectConforms('/v2/droplets/{droplet_id}/backups', 'GET', backups);
    expectConforms('/v2/droplets/{droplet_id}/backups', 'GET', await api.get('/v2/droplets/1/backups'));
    expectConforms(
      '/v2/droplets/{droplet_id}/kernels',
      'GET',
      await api.get(`/v2/droplets/${droplet.id}/kernels`),
    );
    expectConforms('/v2/droplets/{droplet_id}/kernels', 'GET', await api.get('/v2/droplets/1/kernels'));
  });

  it('reserved IPs: list, read, assign and unassign actions, and their refusals', async () => {
    const droplet = simulator.addDroplet({ name: 'ip-1', region: 'nyc3' });
    const free = simulator.addReservedIp({ region: 'nyc3' });
    const held = simulator.addReservedIp({
      dropletId: simulator.addDroplet({ name: 'ip-2', region: 'nyc3' }).id,
    });

    const assign = await api.post(`/v2/reserved_ips/${free.ip}/actions`, {
      type: 'assign',
      droplet_id: droplet.id,
    });
    const locked = await api.post(`/v2/reserved_ips/${free.ip}/actions`, { type: 'unassign' });
    const missing = await api.post('/v2/reserved_ips/192.0.2.250/actions', { type: 'unassign' });

    expect([assign.status, locked.status, missing.status]).toEqual([201, 422, 404]);
    expect(assign.body.action).toMatchObject({ type: 'assign_ip', resource_type: 'reserved_ip' });
    for (const response of [assign, locked, missing]) {
      expectConforms('/v2/reserved_ips/{reserved_ip}/actions', 'POST', response);
    }
    expectConforms('/v2/reserved_ips', 'GET', await api.get('/v2/reserved_ips'));
    expectConforms('/v2/reserved_ips/{reserved_ip}', 'GET', await api.get(`/v2/reserved_ips/${held.ip}`));
    expectConforms('/v2/reserved_ips/{reserved_ip}', 'GET', await api.get(`/v2/reserved_ips/${free.ip}`));
    expectConforms(
      '/v2/reserved_ips/{reserved_ip}/actions/{action_id}',
      'GET',
      await api.get(`/v2/reserved_ips/${free.ip}/actions/${assign.body.action.id}`),
    );
    expectConforms('/v2/actions/{action_id}', 'GET', await api.get(`/v2/actions/${assign.body.action.id}`));
  });

  it('volumes: list, read, attach and detach actions, and a refusal', async () => {
    const droplet = simulator.addDroplet({ name: 'vol-1', region: 'sfo3' });
    const volume = simulator.addVolume({ name: 'vol-data', region: 'sfo3' });

    const attach = await api.post(`/v2/volumes/${volume.id}/actions`, {
      type: 'attach',
      droplet_id: droplet.id,
      region: 'sfo3',
    });
    simulator.advance(60_000);
    const detach = await api.post(`/v2/volumes/${volume.id}/actions`, {
      type: 'detach',
      droplet_id: droplet.id,
    });
    const refused = await api.post(`/v2/volumes/${volume.id}/actions`, { type: 'attach', droplet_id: 1 });

    expect([attach.status, detach.status, refused.status]).toEqual([202, 202, 422]);
    for (const response of [attach, detach, refused]) {
      expectConforms('/v2/volumes/{volume_id}/actions', 'POST', response);
    }
    expectConforms('/v2/volumes', 'GET', await api.get('/v2/volumes'));
    expectConforms('/v2/volumes', 'GET', await api.get('/v2/volumes?region=sfo3&name=vol-data'));
    expectConforms('/v2/volumes/{volume_id}', 'GET', await api.get(`/v2/volumes/${volume.id}`));
  });

  it('firewalls and projects: list, add and remove droplets, list and assign resources', async () => {
    const droplet = simulator.addDroplet({ name: 'fw-1' });
    const firewall = simulator.addFirewall({ name: 'fw', dropletIds: [droplet.id], tags: ['web'] });
    const project = simulator.addProject({ name: 'web' });

    expectConforms('/v2/firewalls', 'GET', await api.get('/v2/firewalls'));
    expectConforms('/v2/firewalls/{firewall_id}', 'GET', await api.get(`/v2/firewalls/${firewall.id}`));
    const path = `/v2/firewalls/${firewall.id}/droplets`;
    expectConforms(
      '/v2/firewalls/{firewall_id}/droplets',
      'POST',
      await api.post(path, { droplet_ids: [droplet.id] }),
    );
    const removed = await api.delete(path, undefined, { droplet_ids: [droplet.id] });
    expect(removed.status).toBe(204);
    expectConforms('/v2/firewalls/{firewall_id}/droplets', 'DELETE', removed);
    expectConforms('/v2/projects', 'GET', await api.get('/v2/projects'));
    const assigned = await api.post(`/v2/projects/${project.id}/resources`, {
      resources: [`do:droplet:${droplet.id}`, 'do:droplet:1'],
    });
    expect(assigned.body.resources.map((resource: { status: string }) => resource.status)).toEqual([
      'assigned',
      'not_found',
    ]);
    expectConforms('/v2/projects/{project_id}/resources', 'POST', assigned);
    expectConforms(
      '/v2/projects/{project_id}/resources',
      'GET',
      await api.get(`/v2/projects/${project.id}/resources`),
    );
    expectConforms(
      '/v2/projects/{project_id}/resources',
      'GET',
      await api.get('/v2/projects/default/resources'),
    );
  });

  it('401, 429 and 5xx answers on every route', async () => {
    const limited = await startTestSimulator({ droplets: 1, rateLimit: { perMinute: 1, perHour: 100 } });
    try {
      const [id] = (await limited.api.get('/v2/droplets')).body.droplets.map((d: { id: number }) => d.id);
      const tooMany = await limited.api.get(`/v2/droplets/${id}`);
      expect(tooMany.status).toBe(429);
      expectConforms('/v2/droplets/{droplet_id}', 'GET', tooMany);
    } finally {
      await limited.simulator.close();
    }
    const routes: Array<[string, string, string]> = [
      ['GET', '/v2/droplets', '/v2/droplets'],
      ['GET', '/v2/actions', '/v2/actions'],
      ['POST', '/v2/droplets/actions', '/v2/droplets/actions?tag_name=staging'],
      ['DELETE', '/v2/snapshots/{snapshot_id}', '/v2/snapshots/1'],
      ['POST', '/v2/droplets', '/v2/droplets'],
      ['DELETE', '/v2/droplets/{droplet_id}', '/v2/droplets/1'],
      ['GET', '/v2/sizes', '/v2/sizes'],
      ['GET', '/v2/reserved_ips', '/v2/reserved_ips'],
      ['GET', '/v2/volumes', '/v2/volumes'],
      ['GET', '/v2/firewalls', '/v2/firewalls'],
      ['GET', '/v2/projects', '/v2/projects'],
    ];
    for (const [method, template, path] of routes) {
      const call = (token?: string) =>
        method === 'GET'
          ? api.get(path, token)
          : method === 'POST'
            ? api.post(path, { type: 'power_on' }, token)
            : api.delete(path, token);
      expectConforms(template, method, await call('dop_v1_not-the-token'));
      simulator.setFaults({ serverErrorRate: 1 });
      const failed = await call();
      simulator.setFaults({ serverErrorRate: 0 });
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expectConforms(template, method, failed);
    }
  });
});
