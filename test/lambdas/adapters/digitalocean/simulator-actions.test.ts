import { DigitalOceanClient } from '../../../../lambdas/adapters/digitalocean/digitalocean-client';
import {
  ACTION_CATALOG,
  ACTION_TYPES,
  type ActionType,
} from '../../../../lambdas/core/actions/action-catalog';
import type { DropletAction } from '../../../../lambdas/core/actions/droplet-action';
import {
  DigitalOceanError,
  NetworkError,
  PendingEventError,
  ServerError,
  UnprocessableError,
} from '../../../../lambdas/core/errors';
import type { Action } from '../../../../lambdas/core/ports/droplet-api';
import type { DropletRecord, DropletSeed, SimulatorHandle } from '../../../../simulator';
import { startTestSimulator } from '../../../support/start-simulator';
import { looseLimiter } from './test-client';

/** How to start each of the sixteen types on a droplet that accepts it. */
const CASES: Record<ActionType, { seed: DropletSeed; action: (droplet: DropletRecord) => DropletAction }> = {
  enable_backups: {
    seed: {},
    action: () => ({ type: 'enable_backups', backup_policy: { plan: 'daily', hour: 4 } }),
  },
  disable_backups: { seed: { backups: true }, action: () => ({ type: 'disable_backups' }) },
  change_backup_policy: {
    seed: { backups: true },
    action: () => ({
      type: 'change_backup_policy',
      backup_policy: { plan: 'weekly', weekday: 'SUN', hour: 8 },
    }),
  },
  reboot: { seed: {}, action: () => ({ type: 'reboot' }) },
  power_cycle: { seed: {}, action: () => ({ type: 'power_cycle' }) },
  shutdown: { seed: {}, action: () => ({ type: 'shutdown' }) },
  power_off: { seed: {}, action: () => ({ type: 'power_off' }) },
  power_on: { seed: { status: 'off' }, action: () => ({ type: 'power_on' }) },
  restore: {
    seed: { backups: true },
    action: (droplet) => ({ type: 'restore', image: droplet.backupIds[0] ?? -1 }),
  },
  password_reset: { seed: {}, action: () => ({ type: 'password_reset' }) },
  resize: {
    seed: { status: 'off', sizeSlug: 's-1vcpu-1gb' },
    action: () => ({ type: 'resize', size: 's-2vcpu-4gb' }),
  },
  rebuild: { seed: {}, action: () => ({ type: 'rebuild', image: 'ubuntu-24-04-x64' }) },
  rename: { seed: {}, action: () => ({ type: 'rename', name: 'renamed.example' }) },
  change_kernel: { seed: {}, action: () => ({ type: 'change_kernel', kernel: 7515 }) },
  enable_ipv6: { seed: {}, action: () => ({ type: 'enable_ipv6' }) },
  snapshot: { seed: { usedDiskGb: 1 }, action: () => ({ type: 'snapshot', name: 'acceptance-1' }) },
};

/** The parameters the catalog requires for each type (those that do not accept `undefined`). */
const REQUIRED_PARAMETERS: [ActionType, string][] = ACTION_TYPES.flatMap((type) =>
  Object.entries(ACTION_CATALOG[type].params.shape)
    .filter(
      ([, schema]) =>
        !(schema as { safeParse(value: unknown): { success: boolean } }).safeParse(undefined).success,
    )
    .map(([name]): [ActionType, string] => [type, name]),
);

describe('DigitalOceanClient against the simulator: actions', () => {
  let simulator: SimulatorHandle;
  let client: DigitalOceanClient;

  beforeAll(async () => {
    ({ simulator } = await startTestSimulator({ droplets: 2, timeScale: 60, rateLimit: false }));
  });
  afterAll(() => simulator.close());
  beforeEach(() => {
    simulator.reset();
    simulator.setFaults({ serverErrorRate: 0, dropAfterProcessRate: 0 });
    client = new DigitalOceanClient({
      token: simulator.token,
      baseUrl: simulator.url,
      rateLimiter: looseLimiter(),
      retry: { limit: 4, baseDelayMs: 1, maxDelayMs: 5 },
    });
  });

  /** Polls the action through the client, moving simulated time a minute between looks. */
  async function followToEnd(action: Action, maxLooks = 30): Promise<Action> {
    let current = action;
    for (let look = 0; look < maxLooks && current.status === 'in-progress'; look++) {
      simulator.advance(60_000);
      current = await client.getAction(current.id);
    }
    return current;
  }

  it.each(ACTION_TYPES)(
    'given a droplet that accepts it, when %s is initiated, then it is followed to completed',
    async (type) => {
      // Prepare
      const droplet = simulator.addDroplet(CASES[type].seed);
      // Act
      const started = await client.initiate(droplet.id, CASES[type].action(droplet));
      const finished = await followToEnd(started);
      // Assess
      expect(started).toMatchObject({
        type,
        status: 'in-progress',
        resourceId: droplet.id,
        resourceType: 'droplet',
      });
      expect(finished).toMatchObject({
        id: started.id,
        status: 'completed',
        completedAt: expect.any(String),
      });
      expect(simulator.droplet(droplet.id)?.locked).toBe(false);
    },
  );

  it('found the required parameters in the catalog', () => {
    expect(REQUIRED_PARAMETERS).toEqual(
      expect.arrayContaining([
        ['change_backup_policy', 'backup_policy'],
        ['restore', 'image'],
        ['resize', 'size'],
        ['rebuild', 'image'],
        ['rename', 'name'],
        ['change_kernel', 'kernel'],
      ]),
    );
  });

  describe.each(REQUIRED_PARAMETERS)('given a %s action without its %s', (type, parameter) => {
    function withoutParameter(droplet: DropletRecord): DropletAction {
      const action: Record<string, unknown> = { ...CASES[type].action(droplet) };
      delete action[parameter];
      return action as DropletAction;
    }

    it('then the client refuses it before sending, naming the parameter', async () => {
      const droplet = simulator.addDroplet(CASES[type].seed);
      const error = await client
        .initiate(droplet.id, withoutParameter(droplet))
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UnprocessableError);
      expect((error as UnprocessableError).message).toContain(parameter);
      expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions'] ?? 0).toBe(0);
    });

    it("then DigitalOcean's own 422 names it too when the client does not validate", async () => {
      const droplet = simulator.addDroplet(CASES[type].seed);
      const unchecked = new DigitalOceanClient({
        token: simulator.token,
        baseUrl: simulator.url,
        rateLimiter: looseLimiter(),
        validateActions: false,
      });
      const error = await unchecked
        .initiate(droplet.id, withoutParameter(droplet))
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UnprocessableError);
      expect(error).toMatchObject({ status: 422, id: 'unprocessable_entity' });
      expect((error as UnprocessableError).apiMessage).toContain(parameter);
    });
  });

  it('given a droplet busy with an action, when a second one is initiated, then it is a PendingEventError', async () => {
    const droplet = simulator.addDroplet({});
    await client.initiate(droplet.id, { type: 'power_cycle' });
    const error = await client.initiate(droplet.id, { type: 'reboot' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PendingEventError);
    expect(error).toMatchObject({ status: 422, code: 'pending_event', outcomeUnknown: false });
  });

  it('given two tagged droplets, when power_off is initiated by tag, then there is one action per droplet', async () => {
    const droplets = [simulator.addDroplet({ tags: ['batch'] }), simulator.addDroplet({ tags: ['batch'] })];
    const actions = await client.initiateByTag('batch', { type: 'power_off' });
    expect(actions.map((action) => action.resourceId).sort()).toEqual(
      droplets.map((droplet) => droplet.id).sort(),
    );
  });

  it('given the server fails, when a POST is answered 5xx, then it surfaces with outcomeUnknown and is sent once', async () => {
    const droplet = simulator.addDroplet({});
    simulator.setFaults({ serverErrorRate: 1 });
    const error = await client.initiate(droplet.id, { type: 'reboot' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).outcomeUnknown).toBe(true);
    expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(1);
  });

  it('given the server fails, when a GET is answered 5xx, then it is retried up to the limit', async () => {
    simulator.setFaults({ serverErrorRate: 1 });
    await expect(client.getAction(1)).rejects.toBeInstanceOf(ServerError);
    expect(simulator.requestCounts()['GET /v2/actions/{action_id}']).toBe(5);
  });

  it('given a POST carried out and then the connection dropped, then outcomeUnknown is true and it is not resent', async () => {
    const droplet = simulator.addDroplet({});
    simulator.setFaults({ dropAfterProcessRate: 1 });
    const error = await client.initiate(droplet.id, { type: 'power_off' }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).outcomeUnknown).toBe(true);
    expect(simulator.requestCounts()['POST /v2/droplets/{droplet_id}/actions']).toBe(1);
    // It was carried out: the droplet's actions show it, which is how the caller resolves the doubt.
    simulator.setFaults({ dropAfterProcessRate: 0 });
    const pages = client.listDropletActions(droplet.id)[Symbol.asyncIterator]();
    const first = await pages.next();
    expect(first.value?.map((action: Action) => action.type)).toEqual(['power_off']);
  });

  it('given a wrong token, then the error is an UnauthorizedError', async () => {
    const stranger = new DigitalOceanClient({
      token: 'dop_v1_wrong',
      baseUrl: simulator.url,
      rateLimiter: looseLimiter(),
    });
    await expect(stranger.getAction(1)).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('given an unknown action, then the error is a NotFoundError', async () => {
    const error = await client.getAction(999_999).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DigitalOceanError);
    expect(error).toMatchObject({ code: 'not_found', request: 'GET /v2/actions/999999' });
  });

  it('reads every droplet of a tag across pages', async () => {
    for (let index = 0; index < 5; index++) simulator.addDroplet({ tags: ['paged'] });
    const ids: number[] = [];
    let pages = 0;
    for await (const page of client.listDroplets({ tag: 'paged', perPage: 2 })) {
      ids.push(...page.map((droplet) => droplet.id));
      if (++pages > 10) break;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(5);
  });
});
