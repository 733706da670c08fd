/* eslint-disable @typescript-eslint/no-explicit-any -- tests read whatever JSON the API answers */
import { startSimulator, type SimulatorHandle, type SimulatorOptions } from '../../simulator';

export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined for an empty one (204). */
  readonly body: T;
}

/** A tiny fetch-based caller for tests that talk to the simulator over real HTTP. */
export interface SimulatorApi {
  get<T = any>(path: string, token?: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body: unknown, token?: string): Promise<ApiResponse<T>>;
  /** `body` for the DELETEs that take one (`DELETE /v2/firewalls/{id}/droplets`). */
  delete<T = any>(path: string, token?: string, body?: unknown): Promise<ApiResponse<T>>;
}

export function simulatorApi(simulator: Pick<SimulatorHandle, 'url' | 'token'>): SimulatorApi {
  const call = async (method: string, path: string, body: unknown, token = simulator.token) => {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path, token) => call('GET', path, undefined, token),
    post: (path, body, token) => call('POST', path, body, token),
    delete: (path, token, body) => call('DELETE', path, body, token),
  };
}

/**
 * Starts a simulator for a test on 127.0.0.1 and a free port, with a manual clock unless told
 * otherwise (so that tests settle actions with `advance` instead of sleeping). Close it in afterAll.
 */
export async function startTestSimulator(
  options: SimulatorOptions = {},
): Promise<{ simulator: SimulatorHandle; api: SimulatorApi }> {
  const simulator = await startSimulator({ clock: 'manual', ...options });
  return { simulator, api: simulatorApi(simulator) };
}
