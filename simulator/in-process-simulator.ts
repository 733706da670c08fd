import type { Clock } from '../lambdas/core/ports/clock';
import { ApiHandler } from './api-handler';
import { bearerToken } from './http/bearer-token';
import { parseJsonBody } from './http/read-body';
import { resolveOptions, type SimulatorOptions } from './options';
import { SimulatorCore } from './simulator-core';
import { coreHandle, type SimulatorHandle } from './simulator-server';

/** The base URL the in-process fetch answers; nothing listens there. */
export const IN_PROCESS_URL = 'http://simulator.in-process';

export interface InProcessSimulatorOptions extends Omit<SimulatorOptions, 'now' | 'clock' | 'host' | 'port'> {
  /** The one time the simulator's clock, its rate-limit windows and its latency read. */
  readonly time: Clock;
  /**
   * Time on `time` a request and its answer spend travelling, split evenly both ways, so that
   * requests in flight overlap as they do over a network.
   * @default 100
   */
  readonly roundTripMs?: number;
}

/** A simulator with no server: its `fetch` carries requests straight into the simulator's core. */
export interface InProcessSimulator extends Omit<SimulatorHandle, 'close'> {
  /** A fetch to pass to `DigitalOceanClient` (option `fetch`) with `baseUrl: url`. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/**
 * The simulator's core behind a fetch function instead of a socket: the same `ApiHandler` the HTTP
 * server uses (token, rate limit, faults, routes, lost answers), with every wait on the injected
 * clock. The bench's algorithmic suites run on it, so that their figures count simulated time
 * and do not depend on how busy the machine is. The real HTTP path keeps its own figures
 * (`client.pacing_ratio`).
 */
export function createInProcessSimulator(options: InProcessSimulatorOptions): InProcessSimulator {
  const { time, roundTripMs = 100, ...rest } = options;
  if (!(Number.isFinite(roundTripMs) && roundTripMs >= 0)) {
    throw new RangeError(`roundTripMs: expected a number >= 0, got ${roundTripMs}`);
  }
  const core = new SimulatorCore(resolveOptions({ ...rest, clock: 'real', now: () => time.now() }));
  const api = new ApiHandler(
    core,
    () => IN_PROCESS_URL,
    (ms) => time.sleep(ms),
  );
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const text = await request.text();
    await time.sleep(roundTripMs / 2, request.signal);
    if (request.signal.aborted) throw abortError();
    const answer = await api.handle({
      method: request.method,
      url: new URL(request.url),
      token: bearerToken({ authorization: request.headers.get('authorization') ?? undefined }),
      body: async () => parseJsonBody(text),
    });
    await time.sleep(roundTripMs / 2, request.signal);
    if (answer.dropConnection) {
      // What undici throws when the server closes the socket before answering.
      const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
      throw new TypeError('fetch failed', { cause });
    }
    if (request.signal.aborted) throw abortError();
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    const headers =
      body === null ? answer.headers : { ...answer.headers, 'content-type': 'application/json' };
    return new Response(body, { status: answer.status, headers });
  };
  return { ...coreHandle(core, IN_PROCESS_URL), fetch };
}

function abortError(): Error {
  return new DOMException('This operation was aborted', 'AbortError');
}
