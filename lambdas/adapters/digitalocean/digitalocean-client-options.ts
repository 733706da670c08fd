import type { Clock } from './clock';
import type { RateLimiter } from './rate-limiter';
import type { DigitalOceanError } from '../../core/errors';

export interface RetryOptions {
  /**
   * Retries after the first attempt, for the failures that may be retried (see `retry-policy.ts`).
   * @default 4
   */
  readonly limit?: number;
  /**
   * The first backoff; each further retry doubles it, with jitter, up to `maxDelayMs`.
   * A 429's `retry-after` replaces the backoff.
   * @default 500
   */
  readonly baseDelayMs?: number;
  /**
   * The longest backoff between two attempts (a `retry-after` may be longer).
   * @default 20000
   */
  readonly maxDelayMs?: number;
  /**
   * The longest `retry-after` the client waits out by itself. A longer one (the hourly budget is
   * spent) surfaces at once as a `RateLimitedError` with `retryAfterSeconds`, so that a Lambda can
   * hand the work back to its queue instead of sleeping through its timeout.
   * @default 60000
   */
  readonly maxRetryAfterMs?: number;
}

/** One HTTP request about to be sent, for counting and logging. Never carries the token. */
export interface RequestEvent {
  readonly method: string;
  /** `/path?query`. */
  readonly path: string;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
}

/** A failed attempt that will be retried after `delayMs`. */
export interface RetryEvent extends RequestEvent {
  readonly delayMs: number;
  readonly error: DigitalOceanError;
}

/** An HTTP response arrived, whatever its status: DigitalOcean was reached. */
export interface ResponseEvent extends RequestEvent {
  readonly status: number;
  /** From sending the request to reading the whole body. */
  readonly durationMs: number;
}

/** An attempt that got no response at all (refused, reset, timed out). */
export interface FailureEvent extends RequestEvent {
  readonly error: DigitalOceanError;
}

export interface DigitalOceanClientOptions {
  /** The DigitalOcean API token (`dop_v1_…`). Required; it is kept private and only ever sent as the Authorization header. */
  readonly token: string;
  /**
   * The API's origin, optionally with a path prefix. Point it at the simulator locally.
   * @default 'https://api.digitalocean.com'
   */
  readonly baseUrl?: string;
  /**
   * The limiter that paces this client's requests.
   * @default the process-wide limiter for this token (`sharedRateLimiters.forToken(token)`), so that
   * every client on one token shares one budget
   */
  readonly rateLimiter?: RateLimiter;
  /**
   * The longest a request may wait for its slot in the rate limiter. Beyond it the call fails at
   * once with a `RateLimitedError` (status 0, id `local_rate_limit`, nothing sent), so that a
   * Lambda hands the work back to its queue instead of sleeping through its timeout.
   * @default no limit (the CLI and the local runner wait as long as the budget requires)
   */
  readonly maxQueueWaitMs?: number;
  /**
   * Deadline for one attempt, from sending the request to reading the whole body.
   * @default 30000
   */
  readonly timeoutMs?: number;
  /**
   * Retry limits and backoff. Which failures are retried is fixed by the method (see `retry-policy.ts`).
   * @default { limit: 4, baseDelayMs: 500, maxDelayMs: 20000, maxRetryAfterMs: 60000 }
   */
  readonly retry?: RetryOptions;
  /**
   * The User-Agent header.
   * @default 'droplet-scheduler'
   */
  readonly userAgent?: string;
  /**
   * Validate each action against the catalog before sending it, so that a missing parameter is
   * refused with its name without spending a request. Tests turn it off to see DigitalOcean's own 422.
   * @default true
   */
  readonly validateActions?: boolean;
  /**
   * Time source for the rate limiter's deadlines, the retry backoff and the timings reported to
   * the hooks. The attempt timeout stays on the wall clock: it guards real I/O.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * The fetch that carries each request. The bench passes the simulator's in-process fetch, so
   * that the same client (limiter, retries, parsing, error mapping) runs without sockets on a
   * discrete-event clock.
   * @default globalThis.fetch
   */
  readonly fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /**
   * Source of jitter in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
  /**
   * Called before every HTTP request, retries included (the reconciler and the bench count requests).
   * @default none
   */
  readonly onRequest?: (event: RequestEvent) => void;
  /**
   * Called when a failed attempt is about to be retried.
   * @default none
   */
  readonly onRetry?: (event: RetryEvent) => void;
  /**
   * Called after every attempt that got an HTTP response, with its status (the CLI watches these
   * to tell a DigitalOcean that answers from one that cannot be reached).
   * @default none
   */
  readonly onResponse?: (event: ResponseEvent) => void;
  /**
   * Called after every attempt that got no response (refused, reset, timed out).
   * @default none
   */
  readonly onFailure?: (event: FailureEvent) => void;
  /**
   * Stops the client: attempts in flight are aborted, backoff waits end, and every call from then
   * on fails at once with a `NetworkError` (id `stopped`; `outcomeUnknown` for a POST that was on
   * the wire). The CLI aborts it when DigitalOcean has been unreachable for its `--wait-timeout`.
   * @default never stopped
   */
  readonly signal?: AbortSignal;
}
