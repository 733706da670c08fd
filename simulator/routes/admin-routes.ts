import type { FirewallSeed, ProjectSeed, ReservedIpSeed, VolumeSeed } from '../account-seeds';
import type { DropletSeed, FaultOptions } from '../options';
import { ApiError, notFound } from '../http/api-error';
import type { ApiRequest, ApiResult } from '../http/api-request';
import type { SimulatorCore, SimulatorSettings, SizeChange } from '../simulator-core';
import { SimulatorUsageError } from '../simulator-error';

function objectBody<T>(request: ApiRequest): T {
  const body = request.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', `body: expected a JSON object, got: ${JSON.stringify(body)}`);
  }
  return body as T;
}

/**
 * The test-only admin API under `/_simulator` (no token): read the whole state and the history of
 * creates, destroys and snapshots, reset it, change faults and settings, move the clock, add
 * droplets, reserved IPs, volumes, firewalls and projects, change which sizes are offered. Usage errors answer 400 in DigitalOcean's error shape.
 */
export function handleAdmin(core: SimulatorCore, request: ApiRequest): ApiResult {
  const route = `${request.method} ${request.url.pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /_simulator/state':
        return { status: 200, body: core.state() };
      case 'GET /_simulator/history':
        return { status: 200, body: { history: core.history() } };
      case 'POST /_simulator/reset':
        core.reset();
        return { status: 204 };
      case 'POST /_simulator/faults':
        return { status: 200, body: { faults: core.setFaults(objectBody<FaultOptions>(request)) } };
      case 'POST /_simulator/advance': {
        const { ms } = objectBody<{ ms?: unknown }>(request);
        core.clock.advance(typeof ms === 'number' ? ms : Number.NaN);
        return { status: 200, body: { now: new Date(core.clock.now()).toISOString() } };
      }
      case 'POST /_simulator/droplets':
        return { status: 201, body: { droplet: core.addDroplet(objectBody<DropletSeed>(request)) } };
      case 'POST /_simulator/reserved_ips':
        return {
          status: 201,
          body: { reserved_ip: core.addReservedIp(objectBody<ReservedIpSeed>(request)) },
        };
      case 'POST /_simulator/volumes':
        return { status: 201, body: { volume: core.addVolume(objectBody<VolumeSeed>(request)) } };
      case 'POST /_simulator/firewalls':
        return { status: 201, body: { firewall: core.addFirewall(objectBody<FirewallSeed>(request)) } };
      case 'POST /_simulator/projects':
        return { status: 201, body: { project: core.addProject(objectBody<ProjectSeed>(request)) } };
      case 'POST /_simulator/sizes':
        return { status: 200, body: { size: core.changeSize(objectBody<SizeChange>(request)) } };
      case 'POST /_simulator/settings':
        return { status: 200, body: core.setSettings(objectBody<SimulatorSettings>(request)) };
      default:
        throw notFound();
    }
  } catch (error) {
    if (error instanceof SimulatorUsageError) throw new ApiError(400, 'bad_request', error.message);
    throw error;
  }
}
