import type { FaultOptions } from '../options';
import type { DropletSeed } from '../options';
import { ApiError, notFound } from '../http/api-error';
import type { ApiRequest, ApiResult } from '../http/api-request';
import type { SimulatorCore } from '../simulator-core';
import { SimulatorUsageError } from '../simulator-error';

function objectBody<T>(request: ApiRequest): T {
  const body = request.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'bad_request', `body: expected a JSON object, got: ${JSON.stringify(body)}`);
  }
  return body as T;
}

/**
 * The test-only admin API under `/_simulator` (no token): read the whole state, reset it, change
 * faults, move the clock, add a droplet. Usage errors answer 400 in DigitalOcean's error shape.
 */
export function handleAdmin(core: SimulatorCore, request: ApiRequest): ApiResult {
  const route = `${request.method} ${request.url.pathname.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /_simulator/state':
        return { status: 200, body: core.state() };
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
      default:
        throw notFound();
    }
  } catch (error) {
    if (error instanceof SimulatorUsageError) throw new ApiError(400, 'bad_request', error.message);
    throw error;
  }
}
