import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiHandler } from './api-handler';
import { bearerToken } from './http/bearer-token';
import { readJsonBody } from './http/read-body';
import { respond } from './http/respond';
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

/** Hands each HTTP request to the transport-neutral `ApiHandler`, and its answer back. */
async function serve(api: ApiHandler, baseUrl: string, request: IncomingMessage, response: ServerResponse) {
  let body: Promise<unknown> | undefined;
  const answer = await api.handle({
    method: request.method ?? 'GET',
    url: new URL(request.url ?? '/', baseUrl),
    token: bearerToken(request.headers),
    body: () => (body ??= readJsonBody(request)),
  });
  if (answer.dropConnection) {
    request.socket.destroy();
    return;
  }
  if (!response.destroyed) respond(response, answer.status, answer.body, { ...answer.headers });
}

/**
 * Starts a stateful DigitalOcean API simulator on a real HTTP server (127.0.0.1 and a free port
 * unless told otherwise). See `SimulatorOptions` for the fleet, clock, rate limits and faults.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const resolved = resolveOptions(options);
  const core = new SimulatorCore(resolved);
  let url = '';
  const api = new ApiHandler(
    core,
    () => url,
    (ms) => sleep(ms),
  );
  const server: Server = createServer((request, response) => {
    void serve(api, url, request, response);
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

  return {
    ...coreHandle(core, url),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Everything a handle offers that does not depend on the transport. */
export function coreHandle(core: SimulatorCore, url: string): Omit<SimulatorHandle, 'close'> {
  const settled = () => {
    core.engine.settle();
    return core.store;
  };
  return {
    url,
    token: core.options.token,
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
  };
}
