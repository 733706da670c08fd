import { randomUUID } from 'node:crypto';
import { ApiError, notFound } from './http/api-error';
import type { ApiRequest, ApiResult } from './http/api-request';
import { sameToken } from './http/bearer-token';
import { errorBody } from './http/respond';
import { Router } from './http/router';
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
import type { SimulatorCore } from './simulator-core';

/** A request as any transport hands it over: the node:http server, or the in-process fetch. */
export interface WireRequest {
  readonly method: string;
  readonly url: URL;
  /** The bearer token, undefined when the request had none. */
  readonly token: string | undefined;
  /** The parsed JSON body; throws an `ApiError` (400, 413) when it cannot be read. */
  readonly body: () => Promise<unknown>;
}

/** What the transport sends back, or, with `dropConnection`, the answer it must lose. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body; undefined for 204. */
  readonly body: unknown;
  /** Carried out, then the connection dies: the client cannot tell whether the action exists. */
  readonly dropConnection: boolean;
}

const SERVER_ERRORS = [
  { status: 500, id: 'server_error', message: 'Unexpected server-side error' },
  {
    status: 503,
    id: 'service_unavailable',
    message: 'Service is temporarily unavailable. Please try again later.',
  },
] as const;

/**
 * The API's behaviour independent of how requests arrive: counting, the latency fault, the
 * token, the rate limit, injected 5xx, routing, settling the engine first, persisting before the
 * answer, and losing the answer of chosen POSTs. The HTTP server and the in-process fetch both
 * call `handle`, so that they answer alike.
 */
export class ApiHandler {
  private readonly router: Router;

  constructor(
    private readonly core: SimulatorCore,
    private readonly baseUrl: () => string,
    /** How the latency fault waits: real time for the server, the injected clock in process. */
    private readonly sleep: (ms: number) => Promise<void>,
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

  async handle(request: WireRequest): Promise<WireResponse> {
    const requestId = randomUUID();
    const { method, url } = request;
    let headers: Record<string, string> = {};
    let dropConnection = false;
    try {
      if (url.pathname.startsWith('/_simulator')) {
        const body = await request.body();
        const result = handleAdmin(this.core, { method, url, params: {}, body, baseUrl: this.baseUrl() });
        return { status: result.status, headers: {}, body: result.body, dropConnection: false };
      }
      const match = this.router.match(method, url.pathname);
      this.core.countRequest(`${method} ${match?.route.template ?? '(unknown route)'}`);
      const faults = this.core.faults;
      if (faults.latencyMs > 0) await this.sleep(faults.latencyMs);
      const body = await request.body();

      if (!sameToken(request.token, this.core.options.token)) {
        // A bad token never spends a good token's budget.
        headers = this.core.rateLimiter?.untouched() ?? {};
        throw new ApiError(401, 'unauthorized', 'Unable to authenticate you');
      }
      const decision = this.core.rateLimiter?.take(request.token!);
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
        dropConnection = method === 'POST' && this.dropAfterProcess(url.pathname);
      }
      return {
        status: result.status,
        headers: { ...headers, 'x-request-id': requestId },
        body: result.body,
        dropConnection,
      };
    } catch (error) {
      if (error instanceof ApiError) {
        return {
          status: error.status,
          headers: { ...headers, 'x-request-id': requestId },
          body: errorBody(error.id, error.message, requestId),
          dropConnection,
        };
      }
      console.error(`simulator: ${method} ${url.pathname} failed:`, error);
      return {
        status: 500,
        headers,
        body: errorBody('server_error', 'Unexpected server-side error', requestId),
        dropConnection,
      };
    }
  }

  private dropAfterProcess(pathname: string): boolean {
    const droplet = /^\/v2\/droplets\/(\d+)\/actions$/.exec(pathname)?.[1];
    if (droplet !== undefined && this.core.faults.dropAnswerDropletIds.has(Number(droplet))) return true;
    const rate = this.core.faults.dropAfterProcessRate;
    return rate > 0 && this.core.faultRandom() < rate;
  }
}
