import ky, { type KyInstance } from 'ky';
import * as z from 'zod';
import type { DropletAction } from '../../core/actions/droplet-action';
import { ConfigurationError, DigitalOceanError, NetworkError, NotFoundError } from '../../core/errors';
import { RateLimitedError } from '../../core/errors/rate-limited-error';
import type {
  Action,
  BulkDropletAction,
  Droplet,
  Firewall,
  InitiateOptions,
  DropletApi,
  Kernel,
  ListOptions,
  RequestOptions,
  NewDroplet,
  Project,
  ReservedIp,
  Size,
  Snapshot,
  Volume,
} from '../../core/ports/droplet-api';
import {
  toFirewall,
  toKernel,
  toProject,
  toProjectResourceUrn,
  toReservedIp,
  toSize,
  toVolume,
  wireFirewall,
  wireKernel,
  wireProject,
  wireProjectResource,
  wireReservedIp,
  wireSize,
  wireVolume,
} from './account-json';
import { systemClock, type Clock } from './clock';
import type {
  DigitalOceanClientOptions,
  FailureEvent,
  RequestEvent,
  ResponseEvent,
  RetryEvent,
} from './digitalocean-client-options';
import { snippet } from './describe-body';
import {
  toAction,
  toDroplet,
  toSnapshot,
  wireAction,
  wireDroplet,
  wirePage,
  wireSnapshot,
} from './digitalocean-json';
import { errorFromFailure } from './error-from-failure';
import { errorFromResponse } from './error-from-response';
import { rateLimitFeedback } from './rate-limit-headers';
import { sharedRateLimiters } from './rate-limiter-registry';
import type { RateLimiter, RateLimitFeedback } from './rate-limiter';
import {
  validAction,
  validBulkAction,
  validDropletId,
  validDropletIds,
  validImageId,
  validIpv4,
  validNewDroplet,
  validRegion,
  validStringId,
  validTag,
  validUrns,
} from './request-validation';
import { isRetryable, retryDelayMs } from './retry-policy';

const MAX_PER_PAGE = 200;

type Method = 'GET' | 'POST' | 'DELETE';

/** How one logical request may be sent: its deadline, which `beforeSend` may tighten, and its priority. */
interface SendControl {
  deadline?: number;
  readonly urgent?: boolean;
  readonly beforeSend?: () => Promise<number | void>;
}

type Attempt =
  | {
      readonly ok: true;
      readonly status: number;
      readonly body: string;
      readonly feedback: RateLimitFeedback;
    }
  | { readonly ok: false; readonly error: DigitalOceanError; readonly feedback: RateLimitFeedback };

/**
 * `DropletApi` over DigitalOcean's HTTP API, with ky.
 *
 * ky runs with `retry: 0` and `throwHttpErrors: false`: the retry loop is ours, because the rules
 * depend on what a failure means for an action (a POST that may have started one must not be sent
 * again) and on the shared rate limiter, which every attempt, retries included, must pass through.
 * Not throwing HTTP errors also keeps ky's `HTTPError`, whose `request` carries the Authorization
 * header, out of our errors entirely.
 *
 * The token lives in a private field and is added to each request by a `beforeRequest` hook, so it
 * is not in the options ky keeps, in `util.inspect(client)`, or in any error.
 */
export class DigitalOceanClient implements DropletApi {
  readonly #token: string;
  readonly #baseUrl: string;
  readonly #http: KyInstance;
  readonly #limiter: RateLimiter;
  readonly #timeoutMs: number;
  readonly #maxQueueWaitMs: number | undefined;
  readonly #retry: {
    readonly limit: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxRetryAfterMs: number;
  };
  readonly #validateActions: boolean;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #onRequest?: (event: RequestEvent) => void;
  readonly #onRetry?: (event: RetryEvent) => void;
  readonly #onResponse?: (event: ResponseEvent) => void;
  readonly #onFailure?: (event: FailureEvent) => void;
  readonly #signal?: AbortSignal;
  #requestCount = 0;

  constructor(options: DigitalOceanClientOptions) {
    if (typeof options?.token !== 'string' || options.token.trim() === '') {
      const got = typeof options?.token === 'string' ? 'a blank string' : String(options?.token);
      throw new ConfigurationError(`token: expected a DigitalOcean API token (dop_v1_…), got ${got}`);
    }
    this.#token = options.token;
    this.#baseUrl = parseBaseUrl(options.baseUrl ?? 'https://api.digitalocean.com');
    this.#limiter =
      options.rateLimiter ??
      sharedRateLimiters.forToken(options.token, options.clock ? { clock: options.clock } : undefined);
    this.#timeoutMs = positive('timeoutMs', options.timeoutMs ?? 30_000);
    this.#maxQueueWaitMs = options.maxQueueWaitMs;
    if (this.#maxQueueWaitMs !== undefined && !(this.#maxQueueWaitMs >= 0)) {
      throw new ConfigurationError(`maxQueueWaitMs: expected a number >= 0, got ${this.#maxQueueWaitMs}`);
    }
    this.#retry = {
      limit: nonNegativeInteger('retry.limit', options.retry?.limit ?? 4),
      baseDelayMs: positive('retry.baseDelayMs', options.retry?.baseDelayMs ?? 500),
      maxDelayMs: positive('retry.maxDelayMs', options.retry?.maxDelayMs ?? 20_000),
      maxRetryAfterMs: positive('retry.maxRetryAfterMs', options.retry?.maxRetryAfterMs ?? 60_000),
    };
    this.#validateActions = options.validateActions ?? true;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#onRequest = options.onRequest;
    this.#onRetry = options.onRetry;
    this.#onResponse = options.onResponse;
    this.#onFailure = options.onFailure;
    this.#signal = options.signal;
    const userAgent = options.userAgent ?? 'droplet-scheduler';
    this.#http = ky.create({
      ...(options.fetch ? { fetch: options.fetch } : {}),
      retry: 0,
      throwHttpErrors: false,
      // Our own AbortSignal covers the body read as well, which ky's timeout does not.
      timeout: false,
      headers: { accept: 'application/json', 'user-agent': userAgent },
      hooks: {
        beforeRequest: [
          (request) => {
            request.headers.set('authorization', `Bearer ${this.#token}`);
          },
        ],
      },
    });
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requestCount;
  }

  async initiate(dropletId: number, action: DropletAction, options?: InitiateOptions): Promise<Action> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/actions`;
    const request = `POST ${path}`;
    validDropletId(dropletId, request);
    const body = this.#validateActions ? validAction(action, request) : action;
    const json = await this.#call('POST', path, body, { ...options });
    return toAction(this.#parse(z.object({ action: wireAction }), json, request).action);
  }

  async initiateByTag(tag: string, action: BulkDropletAction, options?: RequestOptions): Promise<Action[]> {
    const path = `/v2/droplets/actions?${new URLSearchParams({ tag_name: String(tag) })}`;
    const request = `POST ${path}`;
    validTag(tag, request);
    const body = this.#validateActions ? validBulkAction(action, request) : action;
    const json = await this.#call('POST', path, body, { ...options });
    return this.#parse(z.object({ actions: z.array(wireAction) }), json, request).actions.map(toAction);
  }

  async getAction(actionId: number, options?: RequestOptions): Promise<Action> {
    const path = `/v2/actions/${encodeURIComponent(String(actionId))}`;
    const json = await this.#call('GET', path, undefined, {
      deadline: options?.deadline,
      urgent: options?.urgent,
    });
    return toAction(this.#parse(z.object({ action: wireAction }), json, `GET ${path}`).action);
  }

  listActions(options?: ListOptions & RequestOptions): AsyncIterable<readonly Action[]> {
    return this.#pages('/v2/actions', {}, options, 'actions', wireAction, toAction);
  }

  listDropletActions(
    dropletId: number,
    options?: ListOptions & RequestOptions,
  ): AsyncIterable<readonly Action[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/actions`;
    return this.#pages(path, {}, options, 'actions', wireAction, toAction);
  }

  listDroplets(
    filter?: { readonly tag?: string; readonly name?: string } & ListOptions,
  ): AsyncIterable<readonly Droplet[]> {
    const query: Record<string, string> = {};
    if (filter?.tag !== undefined) query.tag_name = filter.tag;
    if (filter?.name !== undefined) query.name = filter.name;
    if (filter?.tag !== undefined && filter.name !== undefined) {
      throw new ConfigurationError(
        `listDroplets: expected tag or name, got both ('${filter.tag}', '${filter.name}')`,
      );
    }
    return this.#pages('/v2/droplets', query, filter, 'droplets', wireDroplet, toDroplet);
  }

  async getDroplet(dropletId: number, options?: RequestOptions): Promise<Droplet> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}`;
    const json = await this.#call('GET', path, undefined, { ...options });
    return toDroplet(this.#parse(z.object({ droplet: wireDroplet }), json, `GET ${path}`).droplet);
  }

  listDropletSnapshots(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/snapshots`;
    return this.#pages(path, {}, options, 'snapshots', wireSnapshot, toSnapshot);
  }

  async deleteSnapshot(snapshotId: number | string, options?: RequestOptions): Promise<void> {
    await this.#call('DELETE', `/v2/snapshots/${encodeURIComponent(String(snapshotId))}`, undefined, {
      ...options,
    });
  }

  async createDroplet(spec: NewDroplet, options?: RequestOptions): Promise<Droplet> {
    const request = 'POST /v2/droplets';
    const body = validNewDroplet(spec, request);
    const json = await this.#call('POST', '/v2/droplets', body, { ...options });
    return toDroplet(this.#parse(z.object({ droplet: wireDroplet }), json, request).droplet);
  }

  async deleteDroplet(dropletId: number, options?: RequestOptions): Promise<void> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}`;
    validDropletId(dropletId, `DELETE ${path}`);
    await this.#call('DELETE', path, undefined, { ...options });
  }

  listSizes(options?: ListOptions): AsyncIterable<readonly Size[]> {
    return this.#pages('/v2/sizes', {}, options, 'sizes', wireSize, toSize);
  }

  async getSnapshot(snapshotId: number | string, options?: RequestOptions): Promise<Snapshot> {
    const path = `/v2/snapshots/${encodeURIComponent(String(snapshotId))}`;
    validImageId(snapshotId, `GET ${path}`);
    const json = await this.#call('GET', path, undefined, { ...options });
    return toSnapshot(this.#parse(z.object({ snapshot: wireSnapshot }), json, `GET ${path}`).snapshot);
  }

  listSnapshots(options?: ListOptions): AsyncIterable<readonly Snapshot[]> {
    return this.#pages(
      '/v2/snapshots',
      { resource_type: 'droplet' },
      options,
      'snapshots',
      wireSnapshot,
      toSnapshot,
    );
  }

  listReservedIps(options?: ListOptions): AsyncIterable<readonly ReservedIp[]> {
    return this.#pages('/v2/reserved_ips', {}, options, 'reserved_ips', wireReservedIp, toReservedIp);
  }

  assignReservedIp(ip: string, dropletId: number, options?: RequestOptions): Promise<Action> {
    const path = `/v2/reserved_ips/${encodeURIComponent(String(ip))}/actions`;
    validIpv4(ip, `POST ${path}`);
    validDropletId(dropletId, `POST ${path}`);
    return this.#postAction(path, { type: 'assign', droplet_id: dropletId }, options);
  }

  unassignReservedIp(ip: string): Promise<Action> {
    const path = `/v2/reserved_ips/${encodeURIComponent(String(ip))}/actions`;
    validIpv4(ip, `POST ${path}`);
    return this.#postAction(path, { type: 'unassign' });
  }

  listVolumes(options?: ListOptions): AsyncIterable<readonly Volume[]> {
    return this.#pages('/v2/volumes', {}, options, 'volumes', wireVolume, toVolume);
  }

  async getVolume(volumeId: string, options?: RequestOptions): Promise<Volume> {
    const path = `/v2/volumes/${encodeURIComponent(String(volumeId))}`;
    validStringId('volumeId', volumeId, `GET ${path}`);
    const json = await this.#call('GET', path, undefined, { ...options });
    return toVolume(this.#parse(z.object({ volume: wireVolume }), json, `GET ${path}`).volume);
  }

  attachVolume(
    volumeId: string,
    dropletId: number,
    region: string,
    options?: RequestOptions,
  ): Promise<Action> {
    return this.#volumeAction('attach', volumeId, dropletId, region, options);
  }

  detachVolume(
    volumeId: string,
    dropletId: number,
    region: string,
    options?: RequestOptions,
  ): Promise<Action> {
    return this.#volumeAction('detach', volumeId, dropletId, region, options);
  }

  listFirewalls(options?: ListOptions): AsyncIterable<readonly Firewall[]> {
    return this.#pages('/v2/firewalls', {}, options, 'firewalls', wireFirewall, toFirewall);
  }

  async addDropletsToFirewall(
    firewallId: string,
    dropletIds: number[],
    options?: RequestOptions,
  ): Promise<void> {
    await this.#firewallDroplets('POST', firewallId, dropletIds, options);
  }

  async removeDropletsFromFirewall(firewallId: string, dropletIds: number[]): Promise<void> {
    await this.#firewallDroplets('DELETE', firewallId, dropletIds);
  }

  listProjects(options?: ListOptions): AsyncIterable<readonly Project[]> {
    return this.#pages('/v2/projects', {}, options, 'projects', wireProject, toProject);
  }

  listProjectResources(projectId: string, options?: ListOptions): AsyncIterable<readonly string[]> {
    const path = `/v2/projects/${encodeURIComponent(String(projectId))}/resources`;
    validStringId('projectId', projectId, `GET ${path}`);
    return this.#pages(path, {}, options, 'resources', wireProjectResource, toProjectResourceUrn);
  }

  async assignProjectResources(projectId: string, urns: string[], options?: RequestOptions): Promise<void> {
    const path = `/v2/projects/${encodeURIComponent(String(projectId))}/resources`;
    const request = `POST ${path}`;
    validStringId('projectId', projectId, request);
    const resources = validUrns(urns, request);
    const json = await this.#call('POST', path, { resources }, { ...options }, true);
    const answered = this.#parse(
      z.object({ resources: z.array(z.object({ urn: z.string(), status: z.string().nullish() })) }),
      json,
      request,
    ).resources;
    const missing = answered
      .filter((resource) => resource.status === 'not_found')
      .map((resource) => resource.urn);
    if (missing.length > 0) {
      throw new NotFoundError({
        status: 200,
        request,
        message: `expected every resource to exist, got not_found for ${missing.join(', ')}`,
      });
    }
  }

  listDropletBackups(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/backups`;
    return this.#pages(path, {}, options, 'backups', wireSnapshot, toSnapshot);
  }

  listDropletKernels(dropletId: number, options?: ListOptions): AsyncIterable<readonly Kernel[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/kernels`;
    return this.#pages(path, {}, options, 'kernels', wireKernel, toKernel);
  }

  /** A POST that starts an action: never re-sent once it may have been received. */
  async #postAction(path: string, body: unknown, options?: RequestOptions): Promise<Action> {
    const json = await this.#call('POST', path, body, { ...options });
    return toAction(this.#parse(z.object({ action: wireAction }), json, `POST ${path}`).action);
  }

  #volumeAction(
    type: 'attach' | 'detach',
    volumeId: string,
    dropletId: number,
    region: string,
    options?: RequestOptions,
  ): Promise<Action> {
    const path = `/v2/volumes/${encodeURIComponent(String(volumeId))}/actions`;
    const request = `POST ${path}`;
    validStringId('volumeId', volumeId, request);
    validDropletId(dropletId, request);
    validRegion(region, request);
    return this.#postAction(path, { type, droplet_id: dropletId, region }, options);
  }

  async #firewallDroplets(
    method: 'POST' | 'DELETE',
    firewallId: string,
    dropletIds: number[],
    options?: RequestOptions,
  ): Promise<void> {
    const path = `/v2/firewalls/${encodeURIComponent(String(firewallId))}/droplets`;
    const request = `${method} ${path}`;
    validStringId('firewallId', firewallId, request);
    const ids = validDropletIds(dropletIds, request);
    await this.#call(method, path, { droplet_ids: ids }, { ...options }, true);
  }

  /**
   * Reads a list page by page. The next page is requested from our own base URL with the query of
   * `links.pages.next`, never from the host the link names: the token only goes where it was sent.
   */
  async *#pages<Item extends z.ZodType, T>(
    path: string,
    query: Record<string, string>,
    options: (ListOptions & RequestOptions) | undefined,
    key: string,
    item: Item,
    map: (wire: z.output<Item>) => T,
  ): AsyncGenerator<readonly T[]> {
    const perPage = options?.perPage ?? MAX_PER_PAGE;
    if (!(Number.isInteger(perPage) && perPage >= 1 && perPage <= MAX_PER_PAGE)) {
      throw new ConfigurationError(`perPage: expected an integer from 1 to ${MAX_PER_PAGE}, got ${perPage}`);
    }
    const startPage = options?.startPage ?? 1;
    if (!(Number.isInteger(startPage) && startPage >= 1)) {
      throw new ConfigurationError(`startPage: expected an integer of 1 or more, got ${startPage}`);
    }
    const schema = wirePage(key, item);
    const seen = new Set<string>();
    const first = {
      ...query,
      per_page: String(perPage),
      ...(startPage > 1 ? { page: String(startPage) } : {}),
    };
    let next: string | undefined = `${path}?${new URLSearchParams(first)}`;
    while (next !== undefined) {
      seen.add(next);
      const json = await this.#call('GET', next, undefined, {
        deadline: options?.deadline,
        urgent: options?.urgent,
      });
      const page: { items: z.output<Item>[]; next: string | undefined } = this.#parse(
        schema,
        json,
        `GET ${next}`,
      );
      yield page.items.map(map);
      if (page.next === undefined || page.items.length === 0) return;
      const following: string = `${path}?${new URL(page.next, 'http://link.invalid').searchParams}`;
      if (seen.has(following)) {
        throw new DigitalOceanError('unexpected_response', {
          status: 200,
          request: `GET ${next}`,
          message: `expected links.pages.next to name a page not yet read, got '${snippet(page.next)}'`,
        });
      }
      next = following;
    }
  }

  /** Sends one logical request, retrying the attempts the retry policy allows. Returns the parsed body. */
  async #call(
    method: Method,
    path: string,
    body?: unknown,
    control: SendControl = {},
    idempotent = method !== 'POST',
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.#throwIfStopped(method, path);
      const result = await this.#attemptThroughLimiter(method, path, body, attempt, control);
      if (result.ok) return this.#json(result.status, result.body, method, path);
      if (attempt > this.#retry.limit || !isRetryable(method, result.error, idempotent)) throw result.error;
      const delayMs = retryDelayMs(result.error, attempt, { ...this.#retry, random: this.#random });
      if (delayMs === undefined) throw result.error;
      if (control.deadline !== undefined && this.#clock.now() + delayMs >= control.deadline)
        throw result.error;
      this.#onRetry?.({ method, path, attempt, delayMs, error: result.error });
      await this.#clock.sleep(delayMs, this.#signal);
    }
  }

  /** A stopped client sends nothing more: the caller has given up waiting for DigitalOcean. */
  #throwIfStopped(method: Method, path: string): void {
    if (!this.#signal?.aborted) return;
    throw new NetworkError({
      status: 0,
      id: 'stopped',
      request: `${method} ${path}`,
      message: `not sent: the client was stopped (${stopReason(this.#signal)})`,
    });
  }

  async #attemptThroughLimiter(
    method: Method,
    path: string,
    body: unknown,
    attempt: number,
    control: SendControl,
  ): Promise<Attempt> {
    const request = `${method} ${path}`;
    const untilDeadline = control.deadline === undefined ? undefined : control.deadline - this.#clock.now();
    const permit = await this.#limiter.acquire({
      maxWaitMs: minimum(this.#maxQueueWaitMs, untilDeadline),
      request,
      urgent: control.urgent,
    });
    let result: Attempt | undefined;
    try {
      this.#throwIfStopped(method, path);
      if (attempt === 1 && control.beforeSend) {
        const deadline = await control.beforeSend();
        if (typeof deadline === 'number') control.deadline = minimum(control.deadline, deadline);
      }
      if (control.deadline !== undefined && this.#clock.now() >= control.deadline) {
        permit.cancel();
        return { ok: false, error: notSent(request, control.deadline), feedback: {} };
      }
      result = await this.#attempt(method, path, body, attempt, control.deadline);
      return result;
    } catch (error) {
      // beforeSend refused: nothing was sent, and the slot goes back to the next request.
      permit.cancel();
      throw error;
    } finally {
      permit.settle(result?.feedback);
    }
  }

  async #attempt(
    method: Method,
    path: string,
    body: unknown,
    attempt: number,
    deadline: number | undefined,
  ): Promise<Attempt> {
    const request = `${method} ${path}`;
    const controller = new AbortController();
    // One attempt ends at the client's timeout, or at the deadline of the claim it is sent under.
    const budgetMs = minimum(
      this.#timeoutMs,
      deadline === undefined ? undefined : deadline - this.#clock.now(),
    ) as number;
    const timer = setTimeout(() => controller.abort(), budgetMs);
    const stop = () => controller.abort();
    this.#signal?.addEventListener('abort', stop, { once: true });
    const sentAt = this.#clock.now();
    this.#requestCount++;
    this.#onRequest?.({ method, path, attempt });
    try {
      const response = await this.#http(`${this.#baseUrl}${path}`, {
        method,
        signal: controller.signal,
        ...(body === undefined ? {} : { json: body }),
      });
      const text = await response.text();
      this.#onResponse?.({
        method,
        path,
        attempt,
        status: response.status,
        durationMs: this.#clock.now() - sentAt,
      });
      const feedback = rateLimitFeedback(response.headers, response.status, this.#clock.now());
      if (response.ok) return { ok: true, status: response.status, body: text, feedback };
      const error = errorFromResponse({
        method,
        request,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: this.#redact(text),
        retryAfterMs: feedback.retryAfterMs,
      });
      return { ok: false, error, feedback };
    } catch (thrown) {
      const error = this.#signal?.aborted
        ? new NetworkError({
            status: 0,
            id: 'stopped',
            request,
            message: `no response: the client was stopped (${stopReason(this.#signal)}) while it waited`,
            // The request left: DigitalOcean may have carried it out.
            outcomeUnknown: method === 'POST',
          })
        : errorFromFailure({
            method,
            request,
            thrown,
            timedOutAfterMs: controller.signal.aborted ? budgetMs : undefined,
          });
      this.#onFailure?.({ method, path, attempt, error });
      return { ok: false, error, feedback: {} };
    } finally {
      clearTimeout(timer);
      this.#signal?.removeEventListener('abort', stop);
    }
  }

  #json(status: number, body: string, method: Method, path: string): unknown {
    if (body.trim() === '') return undefined;
    try {
      return JSON.parse(body);
    } catch {
      throw new DigitalOceanError('unexpected_response', {
        status,
        request: `${method} ${path}`,
        message: `expected JSON, got '${snippet(this.#redact(body))}'`,
        // A POST that DigitalOcean answered with 2xx was carried out, but we cannot tell which action it started.
        outcomeUnknown: method === 'POST',
      });
    }
  }

  #parse<T>(schema: z.ZodType<T>, json: unknown, request: string): T {
    const result = schema.safeParse(json);
    if (result.success) return result.data;
    const issues = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    throw new DigitalOceanError('unexpected_response', {
      status: 200,
      request,
      message: `expected DigitalOcean's response shape, got ${issues}`,
      outcomeUnknown: request.startsWith('POST '),
    });
  }

  /** A server that echoes the request must not smuggle the token into an error message. */
  #redact(text: string): string {
    return text.split(this.#token).join('[redacted token]');
  }
}

function minimum(...values: (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}

/** A request whose deadline passed before it could be sent: certainly not carried out. */
function notSent(request: string, deadline: number): RateLimitedError {
  return new RateLimitedError({
    status: 0,
    id: 'deadline_passed',
    request,
    message: `not sent: its deadline (${new Date(deadline).toISOString()}) passed before it could go out`,
  });
}

function stopReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted';
}

function parseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`baseUrl: expected an absolute http(s) URL, got '${baseUrl}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`baseUrl: expected an http(s) URL, got '${baseUrl}'`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function positive(option: string, value: number): number {
  if (Number.isFinite(value) && value > 0) return value;
  throw new ConfigurationError(`${option}: expected a positive number, got ${value}`);
}

function nonNegativeInteger(option: string, value: number): number {
  if (Number.isInteger(value) && value >= 0) return value;
  throw new ConfigurationError(`${option}: expected an integer >= 0, got ${value}`);
}
