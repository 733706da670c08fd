import ky, { type KyInstance } from 'ky';
import * as z from 'zod';
import type { DropletAction } from '../../core/actions/droplet-action';
import { ConfigurationError, DigitalOceanError, NetworkError } from '../../core/errors';
import type {
  Action,
  BulkDropletAction,
  Droplet,
  InitiateOptions,
  DropletApi,
  ListOptions,
  Snapshot,
} from '../../core/ports/droplet-api';
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
import { validAction, validBulkAction, validDropletId, validTag } from './request-validation';
import { isRetryable, retryDelayMs } from './retry-policy';

const MAX_PER_PAGE = 200;

type Method = 'GET' | 'POST' | 'DELETE';

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
    this.#limiter = options.rateLimiter ?? sharedRateLimiters.forToken(options.token);
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
    const json = await this.#call('POST', path, body, options?.beforeSend);
    return toAction(this.#parse(z.object({ action: wireAction }), json, request).action);
  }

  async initiateByTag(tag: string, action: BulkDropletAction): Promise<Action[]> {
    const path = `/v2/droplets/actions?${new URLSearchParams({ tag_name: String(tag) })}`;
    const request = `POST ${path}`;
    validTag(tag, request);
    const body = this.#validateActions ? validBulkAction(action, request) : action;
    const json = await this.#call('POST', path, body);
    return this.#parse(z.object({ actions: z.array(wireAction) }), json, request).actions.map(toAction);
  }

  async getAction(actionId: number): Promise<Action> {
    const path = `/v2/actions/${encodeURIComponent(String(actionId))}`;
    const json = await this.#call('GET', path);
    return toAction(this.#parse(z.object({ action: wireAction }), json, `GET ${path}`).action);
  }

  listActions(options?: ListOptions): AsyncIterable<readonly Action[]> {
    return this.#pages('/v2/actions', {}, options, 'actions', wireAction, toAction);
  }

  listDropletActions(dropletId: number, options?: ListOptions): AsyncIterable<readonly Action[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/actions`;
    return this.#pages(path, {}, options, 'actions', wireAction, toAction);
  }

  listDroplets(filter?: { readonly tag?: string } & ListOptions): AsyncIterable<readonly Droplet[]> {
    const query: Record<string, string> = filter?.tag === undefined ? {} : { tag_name: filter.tag };
    return this.#pages('/v2/droplets', query, filter, 'droplets', wireDroplet, toDroplet);
  }

  async getDroplet(dropletId: number): Promise<Droplet> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}`;
    const json = await this.#call('GET', path);
    return toDroplet(this.#parse(z.object({ droplet: wireDroplet }), json, `GET ${path}`).droplet);
  }

  listDropletSnapshots(dropletId: number, options?: ListOptions): AsyncIterable<readonly Snapshot[]> {
    const path = `/v2/droplets/${encodeURIComponent(String(dropletId))}/snapshots`;
    return this.#pages(path, {}, options, 'snapshots', wireSnapshot, toSnapshot);
  }

  async deleteSnapshot(snapshotId: number | string): Promise<void> {
    await this.#call('DELETE', `/v2/snapshots/${encodeURIComponent(String(snapshotId))}`);
  }

  /**
   * Reads a list page by page. The next page is requested from our own base URL with the query of
   * `links.pages.next`, never from the host the link names: the token only goes where it was sent.
   */
  async *#pages<Item extends z.ZodType, T>(
    path: string,
    query: Record<string, string>,
    options: ListOptions | undefined,
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
      const json = await this.#call('GET', next);
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
    beforeSend?: () => Promise<void>,
  ): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      this.#throwIfStopped(method, path);
      const result = await this.#attemptThroughLimiter(method, path, body, attempt, beforeSend);
      if (result.ok) return this.#json(result.status, result.body, method, path);
      if (attempt > this.#retry.limit || !isRetryable(method, result.error)) throw result.error;
      const delayMs = retryDelayMs(result.error, attempt, { ...this.#retry, random: this.#random });
      if (delayMs === undefined) throw result.error;
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
    beforeSend?: () => Promise<void>,
  ): Promise<Attempt> {
    const permit = await this.#limiter.acquire({
      maxWaitMs: this.#maxQueueWaitMs,
      request: `${method} ${path}`,
    });
    let result: Attempt | undefined;
    try {
      this.#throwIfStopped(method, path);
      await beforeSend?.();
      result = await this.#attempt(method, path, body, attempt);
      return result;
    } finally {
      permit.settle(result?.feedback);
    }
  }

  async #attempt(method: Method, path: string, body: unknown, attempt: number): Promise<Attempt> {
    const request = `${method} ${path}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
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
            timedOutAfterMs: controller.signal.aborted ? this.#timeoutMs : undefined,
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
