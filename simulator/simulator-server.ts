import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, notFound } from './http/api-error';
import type { ApiRequest, ApiResult } from './http/api-request';
import { bearerToken, sameToken } from './http/bearer-token';
import { readJsonBody } from './http/read-body';
import { errorBody, respond } from './http/respond';
import { Router } from './http/router';
import type { FirewallSeed, ProjectSeed, ReservedIpSeed, VolumeSeed } from './account-seeds';
import type {
  ActionRecord,
  DropletRecord,
  FirewallRecord,
  HistoryEvent,
  ProjectRecord,
  ReservedIpRecord,
  VolumeRecord,
} from './model';
import { resolveOptions, type DropletSeed, type FaultOptions, type SimulatorOptions } from './options';
import { actionRoutes } from './routes/action-routes';
import { handleAdmin } from './routes/admin-routes';
import { dropletLifecycleRoutes } from './routes/droplet-lifecycle-routes';
import { dropletRoutes } from './routes/droplet-routes';
import { firewallRoutes } from './routes/firewall-routes';
import { projectRoutes } from './routes/project-routes';
import { reservedIpRoutes } from './routes/reserved-ip-routes';
import type { RouteContext } from './routes/route-context';
import { sizeRoutes } from './routes/size-routes';
import { snapshotRoutes } from './routes/snapshot-routes';
import { volumeRoutes } from './routes/volume-routes';
import {
  SimulatorCore,
  type FaultsView,
  type SimulatorSettings,
  type SimulatorStateView,
  type SizeChange,
} from './simulator-core';
import type { SizeRecord } from './store';

/** A running simulator. */
export interface SimulatorHandle {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43121`; the API is under `/v2`. */
  readonly url: string;
  /** The one token the simulator accepts. Never log it. */
  readonly token: string;
  /** A settled copy of the whole account (droplets, actions, snapshots, counters, faults). */
  state(): SimulatorStateView;
  /** A settled copy of the history: droplets created and destroyed, snapshots taken and deleted, oldest first. */
  history(): HistoryEvent[];
  /** A settled copy of one droplet, or undefined. */
  droplet(id: number): DropletRecord | undefined;
  /** A settled copy of one action, or undefined. */
  action(id: number): ActionRecord | undefined;
  /** Adds a droplet as described (e.g. one that is off, with a given disk or tags), in the default project. */
  addDroplet(seed: DropletSeed): DropletRecord;
  /** Adds a reserved IP, assigned to a droplet or not. */
  addReservedIp(seed: ReservedIpSeed): ReservedIpRecord;
  /** Adds a volume, attached to a droplet or not. */
  addVolume(seed: VolumeSeed): VolumeRecord;
  /** Adds a firewall naming droplets by id or by tag. */
  addFirewall(seed: FirewallSeed): FirewallRecord;
  /** Adds a project, optionally the new default, with resources moved into it. */
  addProject(seed: ProjectSeed): ProjectRecord;
  /** Offers a size in other regions, or stops offering it. */
  changeSize(change: SizeChange): SizeRecord;
  /** Changes run-time settings (the action list order). */
  setSettings(settings: SimulatorSettings): void;
  /** Writes the whole account, settled to now, to `file`, in the format `stateFile` reads. */
  saveTo(file: string): void;
  /** What happened to `stateFile` at start, in one line, for the caller to print; undefined without one. */
  readonly stateNote: string | undefined;
  /** Changes some faults, keeping the others. */
  setFaults(faults: FaultOptions): FaultsView;
  /** Back to the start state: same fleet, no actions or snapshots, zero counters, start faults. */
  reset(): void;
  /** Requests per `METHOD /v2/template`, e.g. `{ 'POST /v2/droplets/{droplet_id}/actions': 3 }`. */
  requestCounts(): Record<string, number>;
  /** Moves the simulator's clock forward (either kind; the only way a manual clock moves), settling what falls due. */
  advance(ms: number): void;
  /** Epoch milliseconds on the simulator's clock. */
  now(): number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

const SERVER_ERRORS = [
  { status: 500, id: 'server_error', message: 'Unexpected server-side error' },
  {
    status: 503,
    id: 'service_unavailable',
    message: 'Service is temporarily unavailable. Please try again later.',
  },
] as const;

class ApiServer {
  private readonly router: Router;

  constructor(
    private readonly core: SimulatorCore,
    private readonly baseUrl: () => string,
  ) {
    const context: RouteContext = {
      store: () => core.store,
      engine: () => core.engine,
      clock: core.clock,
      actionListOrder: () => core.actionListOrder,
    };
    this.router = new Router([
      ...actionRoutes(context),
      ...dropletRoutes(context),
      ...dropletLifecycleRoutes(context, core.options.seed),
      ...sizeRoutes(context),
      ...snapshotRoutes(context),
      ...reservedIpRoutes(context),
      ...volumeRoutes(context),
      ...firewallRoutes(context),
      ...projectRoutes(context),
    ]);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', this.baseUrl());
    let headers: Record<string, string> = {};
    try {
      if (url.pathname.startsWith('/_simulator')) {
        const body = await readJsonBody(request);
        const result = handleAdmin(this.core, { method, url, params: {}, body, baseUrl: this.baseUrl() });
        respond(response, result.status, result.body);
        return;
      }
      const match = this.router.match(method, url.pathname);
      this.core.countRequest(`${method} ${match?.route.template ?? '(unknown route)'}`);
      const faults = this.core.faults;
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const body = await readJsonBody(request);

      const token = bearerToken(request.headers);
      if (!sameToken(token, this.core.options.token)) {
        // A bad token never spends a good token's budget.
        headers = this.core.rateLimiter?.untouched() ?? {};
        throw new ApiError(401, 'unauthorized', 'Unable to authenticate you');
      }
      const decision = this.core.rateLimiter?.take(token!);
      headers = decision?.headers ?? {};
      if (decision && !decision.allowed) {
        this.core.countRateLimited();
        headers['retry-after'] = String(decision.retryAfterSeconds);
        throw new ApiError(429, 'too_many_requests', 'API Rate limit exceeded.');
      }
      if (faults.serverErrorRate > 0 && this.core.faultRandom() < faults.serverErrorRate) {
        const fault = SERVER_ERRORS[Math.floor(this.core.faultRandom() * SERVER_ERRORS.length)]!;
        throw new ApiError(fault.status, fault.id, fault.message);
      }
      if (!match) throw notFound();

      this.core.engine.settle();
      let result: ApiResult;
      try {
        const apiRequest: ApiRequest = { method, url, params: match.params, body, baseUrl: this.baseUrl() };
        result = await match.route.handler(apiRequest);
      } finally {
        // On disk before the answer leaves: a process killed after answering still knows it.
        if (method !== 'GET') this.core.persist();
        if (method === 'POST' && this.dropAfterProcess(url.pathname)) {
          // Carried out, then the connection dies: the client cannot tell whether the action exists.
          request.socket.destroy();
        }
      }
      if (!response.destroyed)
        respond(response, result.status, result.body, { ...headers, 'x-request-id': requestId });
    } catch (error) {
      if (response.destroyed) return;
      if (error instanceof ApiError) {
        respond(response, error.status, errorBody(error.id, error.message, requestId), {
          ...headers,
          'x-request-id': requestId,
        });
        return;
      }
      console.error(`simulator: ${method} ${url.pathname} failed:`, error);
      respond(response, 500, errorBody('server_error', 'Unexpected server-side error', requestId), headers);
    }
  }

  private dropAfterProcess(pathname: string): boolean {
    const droplet = /^\/v2\/droplets\/(\d+)\/actions$/.exec(pathname)?.[1];
    if (droplet !== undefined && this.core.faults.dropAnswerDropletIds.has(Number(droplet))) return true;
    const rate = this.core.faults.dropAfterProcessRate;
    return rate > 0 && this.core.faultRandom() < rate;
  }
}

/**
 * Starts a stateful DigitalOcean API simulator on a real HTTP server (127.0.0.1 and a free port
 * unless told otherwise). See `SimulatorOptions` for the fleet, clock, rate limits and faults.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const resolved = resolveOptions(options);
  const core = new SimulatorCore(resolved);
  let url = '';
  const api = new ApiServer(core, () => url);
  const server: Server = createServer((request, response) => {
    void api.handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  const settled = () => {
    core.engine.settle();
    return core.store;
  };
  return {
    url,
    token: resolved.token,
    state: () => core.state(),
    history: () => core.history(),
    droplet: (id) => {
      const droplet = settled().droplets.get(id);
      return droplet && structuredClone(droplet);
    },
    action: (id) => {
      const action = settled().actions.get(id);
      return action && structuredClone(action);
    },
    addDroplet: (seed) => core.addDroplet(seed),
    addReservedIp: (seed) => core.addReservedIp(seed),
    addVolume: (seed) => core.addVolume(seed),
    addFirewall: (seed) => core.addFirewall(seed),
    addProject: (seed) => core.addProject(seed),
    changeSize: (change) => core.changeSize(change),
    setSettings: (settings) => void core.setSettings(settings),
    saveTo: (file) => core.saveTo(file),
    stateNote: core.stateNote,
    setFaults: (faults) => core.setFaults(faults),
    reset: () => core.reset(),
    requestCounts: () => core.requestCounts(),
    advance: (ms) => core.clock.advance(ms),
    now: () => core.clock.now(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
