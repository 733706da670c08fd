import { ConfigurationError, RateLimitedError } from '../../core/errors';
import { systemClock, type Clock } from './clock';

/** One sliding window of a token's budget: at most `limit` requests in any `lengthMs` span. */
export interface RateLimitWindow {
  /** Requests allowed inside any span of `lengthMs`. */
  readonly limit: number;
  /** The window's length in milliseconds. Shorten it to match a time-scaled simulator. */
  readonly lengthMs: number;
}

/** DigitalOcean's documented per-token limits: 250 a minute and 5,000 an hour, both sliding. */
export const DIGITALOCEAN_RATE_LIMIT_WINDOWS: readonly RateLimitWindow[] = digitalOceanWindows();

/**
 * DigitalOcean's windows with both lengths divided by `windowScale`, to match a simulator started
 * with the same `rateLimit.windowScale` (its "minute" then lasts 60 / windowScale real seconds).
 */
export function digitalOceanWindows(
  windowScale = 1,
  limits: { readonly perMinute?: number; readonly perHour?: number } = {},
): RateLimitWindow[] {
  if (!(windowScale > 0)) {
    throw new ConfigurationError(`windowScale: expected a number > 0, got ${windowScale}`);
  }
  return [
    { limit: limits.perMinute ?? 250, lengthMs: 60_000 / windowScale },
    { limit: limits.perHour ?? 5_000, lengthMs: 3_600_000 / windowScale },
  ];
}

export interface RateLimiterOptions {
  /**
   * The sliding windows to stay under. The shortest window's rate sets the pacing; every window is
   * also a hard cap.
   * @default DIGITALOCEAN_RATE_LIMIT_WINDOWS (250 per 60 s and 5,000 per 3,600 s)
   */
  readonly windows?: readonly RateLimitWindow[];
  /**
   * Fraction added to the pacing interval (`lengthMs / limit`). The server counts a request when it
   * arrives, we count it when we send it; the margin absorbs latency jitter so that a lone client
   * never sees a 429, at the price of being this much slower than the limit.
   * @default 0.01
   */
  readonly safetyMargin?: number;
  /**
   * How late a grant may come (a timer firing late, a busy event loop, a caller that was slow)
   * and still leave the schedule where it was, so that the next requests catch up instead of the
   * delay adding to the total. Up to `catchUpMs / interval` requests may then go close together;
   * the windows' hard caps still hold. Idle time beyond it earns no credit.
   * @default 5% of the shortest window (3 s for DigitalOcean's minute: at most ~12 requests)
   */
  readonly catchUpMs?: number;
  /**
   * How long the whole limiter pauses after a 429 that carries no `retry-after`.
   * @default the shortest window's length / 60 (one second for DigitalOcean's minute window)
   */
  readonly defaultPauseMs?: number;
  /**
   * The share of every window kept for urgent requests (the reconciler's budgeted looks, a
   * claim's reads): ordinary requests stop at the rest, and are paced to it, so that a backlog of
   * starts can never leave the reconciler without its share of the token.
   * @default 0
   */
  readonly reserve?: number;
  /**
   * Time source; tests inject a manual clock.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** What one response told us about the token's budget, parsed from its headers. */
export interface RateLimitFeedback {
  /** `ratelimit-limit`. */
  readonly limit?: number;
  /** `ratelimit-remaining`. */
  readonly remaining?: number;
  /** `ratelimit-reset` (epoch seconds) in epoch milliseconds: when the oldest counted request expires. */
  readonly resetAtMs?: number;
  /** True for a 429: the budget was spent, whatever our model thought. */
  readonly rateLimited?: boolean;
  /** `retry-after` in milliseconds, on a 429. */
  readonly retryAfterMs?: number;
}

export interface AcquireOptions {
  /**
   * Give up when the slot is further away than this: the promise rejects with a
   * `RateLimitedError` (status 0, id `local_rate_limit`, nothing sent) whose `retryAfterSeconds`
   * says when the slot was expected. A Lambda sets it below its remaining time.
   * @default no limit
   */
  readonly maxWaitMs?: number;
  /**
   * `METHOD /path` of the request, for that error.
   * @default 'request'
   */
  readonly request?: string;
  /**
   * Served before every waiter without it (in arrival order among themselves): a request made
   * under a claim, which must not wait behind the backlog while its claim runs out.
   * @default false
   */
  readonly urgent?: boolean;
}

interface Waiter {
  readonly grant: (permit: RateLimitPermit) => void;
  readonly refuse: (error: RateLimitedError) => void;
  readonly deadline: number;
  readonly request: string;
  readonly urgent: boolean;
}

/** A granted slot. Settle it exactly once, when the response (or the failure) arrives. */
export interface RateLimitPermit {
  settle(feedback?: RateLimitFeedback): void;
  /** Gives the slot back unused: nothing was sent (the caller's claim was taken, or its deadline passed). */
  cancel(): void;
}

/** How full one window is right now, as the limiter models it. */
export interface WindowUsage {
  readonly limit: number;
  readonly lengthMs: number;
  /** Our own requests still inside the window (in-flight ones included). */
  readonly own: number;
  /** Requests the server counted that this limiter did not send (another client on the token). */
  readonly external: number;
}

interface SentRequest {
  readonly sentAt: number;
  settledAt?: number;
}

interface WindowState {
  readonly limit: number;
  readonly lengthMs: number;
  /** What ordinary requests may use of `limit`; the rest is kept for urgent ones. */
  readonly ordinaryLimit: number;
}

/**
 * Paces one token's requests so that they stay under every sliding window.
 *
 * - Pacing: requests are spaced by the shortest window's `lengthMs / limit` (plus the safety
 *   margin), never bursted, so 600 requests spread evenly over 2.4 minutes instead of 250 at once
 *   and then a stall. A grant that comes a little late (`catchUpMs`) keeps the schedule, so that
 *   jitter does not add up; longer idle time earns no burst credit.
 * - Hard caps: a request is only granted when every window, counting our own requests and those
 *   the headers reveal that others spent, has room. Our requests stay counted until their response
 *   arrives plus the window length, which is never earlier than the server forgets them.
 * - Feedback: `ratelimit-remaining` below what we account for means another client spends the
 *   budget. The difference is modelled as external requests, timed between the previous response
 *   and this one (every response carries the headers, so that span is short), and they count in
 *   every window, the minute included, which the headers do not describe. A 429 pauses the whole
 *   limiter for `retry-after`.
 *
 * Waiters are served first come, first served by a single loop.
 */
export class RateLimiter {
  readonly #clock: Clock;
  readonly #windows: WindowState[];
  readonly #intervalMs: number;
  readonly #defaultPauseMs: number;
  readonly #catchUpMs: number;
  #sent: SentRequest[] = [];
  /** When requests that others spent were made, as well as the headers tell; ascending. */
  #external: number[] = [];
  #lastObservedAt = -Infinity;
  #waiters: Waiter[] = [];
  #pumping = false;
  /** The earliest time the next request may go (the GCRA's theoretical arrival time). */
  #nextSlotAt = -Infinity;
  #pausedUntil = -Infinity;
  /**
   * Bumped by every change to what `#earliestStart` reads, so that a burst of calls at one instant
   * (a queue of hopeless waiters being refused) computes it once instead of once per waiter.
   */
  #changes = 0;
  /** Ends the pump's sleep early. */
  #nap: AbortController | undefined;
  #cachedStart:
    | { readonly now: number; readonly changes: number; readonly urgent: boolean; readonly start: number }
    | undefined;

  constructor(options: RateLimiterOptions = {}) {
    const windows = options.windows ?? DIGITALOCEAN_RATE_LIMIT_WINDOWS;
    if (windows.length === 0) {
      throw new ConfigurationError('rateLimiter.windows: expected at least one window, got an empty list');
    }
    for (const window of windows) {
      if (!(Number.isInteger(window.limit) && window.limit > 0 && window.lengthMs > 0)) {
        throw new ConfigurationError(
          `rateLimiter.windows: expected a positive integer limit and a positive lengthMs, got ${JSON.stringify(window)}`,
        );
      }
    }
    const margin = options.safetyMargin ?? 0.01;
    if (!(margin >= 0)) {
      throw new ConfigurationError(`rateLimiter.safetyMargin: expected a fraction >= 0, got ${margin}`);
    }
    const reserve = options.reserve ?? 0;
    if (!(reserve >= 0 && reserve < 1)) {
      throw new ConfigurationError(`rateLimiter.reserve: expected a fraction in [0, 1), got ${reserve}`);
    }
    this.#clock = options.clock ?? systemClock;
    this.#windows = windows.map((window) => ({
      ...window,
      ordinaryLimit: Math.max(1, Math.floor(window.limit * (1 - reserve))),
    }));
    this.#intervalMs =
      Math.min(...this.#windows.map((window) => window.lengthMs / window.ordinaryLimit)) * (1 + margin);
    const shortest = Math.min(...windows.map((window) => window.lengthMs));
    this.#defaultPauseMs = options.defaultPauseMs ?? shortest / 60;
    this.#catchUpMs = options.catchUpMs ?? shortest * 0.05;
  }

  /** The spacing between two requests, in milliseconds. */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#waiters.length;
  }

  /**
   * Roughly how long the last request waiting now has to wait for its slot, at the current pace
   * and window usage: for progress output ("waiting for the rate limit, about 40 s").
   */
  waitEstimateMs(): number {
    if (this.#waiters.length === 0) return 0;
    const now = this.#clock.now();
    return Math.max(this.#earliestStart(now) - now, 0) + (this.#waiters.length - 1) * this.#intervalMs;
  }

  /** Resolves when a request may be sent, first come first served. */
  acquire(options: AcquireOptions = {}): Promise<RateLimitPermit> {
    return new Promise((grant, refuse) => {
      const waiter: Waiter = {
        grant,
        refuse,
        deadline: this.#clock.now() + (options.maxWaitMs ?? Infinity),
        request: options.request ?? 'request',
        urgent: options.urgent ?? false,
      };
      const firstOrdinary = this.#waiters.findIndex((other) => !other.urgent);
      if (waiter.urgent && firstOrdinary >= 0) this.#waiters.splice(firstOrdinary, 0, waiter);
      else this.#waiters.push(waiter);
      if (this.#pumping) {
        // The loop is asleep until the head's slot: answer a hopeless newcomer now, not then.
        const now = this.#clock.now();
        if (this.#waiters[0] === waiter) this.#nap?.abort();
        else this.#refuseHopeless(now, this.#earliestStart(now));
      }
      void this.#pump();
    });
  }

  /** Stops granting slots for `ms` (a 429's `retry-after`, or another signal the budget is spent). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + ms);
    this.#changes += 1;
  }

  /** The limiter's model of each window, for tests, logs and the bench. */
  usage(): WindowUsage[] {
    const now = this.#clock.now();
    return this.#windows.map((window) => ({
      limit: window.limit,
      lengthMs: window.lengthMs,
      own: this.#ownAlive(window, now, now),
      external: this.#externalAlive(window, now),
    }));
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#waiters.length > 0) {
        const now = this.#clock.now();
        const start = this.#earliestStart(now);
        this.#refuseHopeless(now, start);
        if (this.#waiters.length === 0) break;
        if (start > now) {
          // State may change while we sleep (a pause, new feedback): look again after waking. A
          // new head of the queue (an urgent request, which may use the reserve) wakes us early.
          this.#nap = new AbortController();
          await this.#clock.sleep(start - now, this.#nap.signal);
          this.#nap = undefined;
          continue;
        }
        const waiter = this.#waiters.shift();
        const request: SentRequest = { sentAt: now };
        this.#sent.push(request);
        this.#changes += 1;
        const onSchedule = now - this.#nextSlotAt <= Math.max(this.#catchUpMs, this.#intervalMs);
        this.#nextSlotAt = (onSchedule ? this.#nextSlotAt : now) + this.#intervalMs;
        waiter?.grant({
          settle: (feedback) => this.#settle(request, feedback),
          cancel: () => this.#cancel(request),
        });
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** Refuses the waiters whose turn, at the current pace, would come after their deadline. */
  #refuseHopeless(now: number, start: number): void {
    let position = 0;
    this.#waiters = this.#waiters.filter((waiter) => {
      const expected = start + position * this.#intervalMs;
      if (expected <= waiter.deadline) {
        position++;
        return true;
      }
      waiter.refuse(
        new RateLimitedError({
          status: 0,
          id: 'local_rate_limit',
          request: waiter.request,
          message: `not sent: the token's budget allows it in ${Math.ceil(expected - now)} ms, after the caller's maxWaitMs`,
          retryAfterSeconds: Math.ceil((expected - now) / 1000),
        }),
      );
      return false;
    });
  }

  /** When the head of the queue may go: an urgent head may use the reserve, an ordinary one not. */
  #earliestStart(now: number): number {
    const urgent = this.#waiters[0]?.urgent ?? false;
    const cached = this.#cachedStart;
    if (cached?.now === now && cached.changes === this.#changes && cached.urgent === urgent)
      return cached.start;
    const start = this.#computeEarliestStart(now, urgent);
    this.#cachedStart = { now, changes: this.#changes, urgent, start };
    return start;
  }

  #computeEarliestStart(now: number, urgent: boolean): number {
    this.#prune(now);
    const from = Math.max(now, this.#nextSlotAt, this.#pausedUntil);
    let start = from;
    for (const window of this.#windows) {
      start = Math.max(start, this.#roomAt(window, now, from, urgent ? window.limit : window.ordinaryLimit));
    }
    return start;
  }

  /** The earliest time at or after `from` when the window holds fewer than `limit` requests. */
  #roomAt(window: WindowState, now: number, from: number, limit: number): number {
    // A typed array sorts numerically in native code: this runs on every grant, over up to a
    // whole hour's requests.
    const expiries = new Float64Array(this.#sent.length + this.#external.length);
    let count = 0;
    for (const request of this.#sent) {
      const expiry = this.#expiry(request, window, now);
      if (expiry > from) expiries[count++] = expiry;
    }
    for (const spentAt of this.#external) {
      if (spentAt + window.lengthMs > from) expiries[count++] = spentAt + window.lengthMs;
    }
    if (count < limit) return from;
    const alive = expiries.subarray(0, count).sort();
    return alive[count - limit] ?? from;
  }

  /** An in-flight request is counted as if it were answered now: its timer cannot start earlier. */
  #expiry(request: SentRequest, window: WindowState, now: number): number {
    return (request.settledAt ?? Math.max(request.sentAt, now)) + window.lengthMs;
  }

  #ownAlive(window: WindowState, now: number, at: number): number {
    let count = 0;
    for (const request of this.#sent) {
      if (this.#expiry(request, window, now) > at) count++;
    }
    return count;
  }

  #prune(now: number): void {
    const longest = Math.max(...this.#windows.map((window) => window.lengthMs));
    let drop = 0;
    while (drop < this.#sent.length) {
      const settledAt = this.#sent[drop]?.settledAt;
      if (settledAt === undefined || settledAt + longest > now) break;
      drop++;
    }
    if (drop > 0) this.#sent = this.#sent.slice(drop);
    const firstAlive = this.#external.findIndex((spentAt) => spentAt + longest > now);
    this.#external = firstAlive === -1 ? [] : this.#external.slice(firstAlive);
  }

  #externalAlive(window: WindowState, now: number): number {
    return this.#external.filter((spentAt) => spentAt + window.lengthMs > now).length;
  }

  /** An unused slot: it no longer counts in any window, and the next request may take its place. */
  #cancel(request: SentRequest): void {
    if (request.settledAt !== undefined) return;
    request.settledAt = -Infinity;
    this.#changes += 1;
    const index = this.#sent.indexOf(request);
    if (index >= 0) this.#sent.splice(index, 1);
    this.#nextSlotAt = Math.max(this.#clock.now(), this.#nextSlotAt - this.#intervalMs);
  }

  #settle(request: SentRequest, feedback: RateLimitFeedback = {}): void {
    if (request.settledAt !== undefined) return;
    const now = this.#clock.now();
    request.settledAt = now;
    this.#changes += 1;
    if (feedback.rateLimited) {
      // DigitalOcean may report `remaining: 0` on a burst 429 while the hour has plenty left;
      // read as the hourly count, that would look like thousands of others' requests.
      this.pause(feedback.retryAfterMs ?? this.#defaultPauseMs);
      return;
    }
    if (feedback.limit !== undefined && feedback.remaining !== undefined) {
      this.#observe(now, feedback.limit, feedback.remaining, feedback.resetAtMs);
    }
  }

  /**
   * Aligns our model with the server's count for the window the headers describe. DigitalOcean
   * documents them as the hourly budget; the window is found by its limit. Headers for a limit we
   * have no window for cannot be placed in time, so only their "nothing left" is obeyed.
   */
  #observe(now: number, limit: number, remaining: number, resetAtMs: number | undefined): void {
    const window = this.#windows.find((candidate) => candidate.limit === limit);
    if (!window) {
      if (remaining === 0 && resetAtMs !== undefined) {
        const longest = Math.max(...this.#windows.map((candidate) => candidate.lengthMs));
        this.pause(Math.min(Math.max(0, resetAtMs - now), longest));
      }
      return;
    }
    this.#prune(now);
    const serverUsed = Math.max(0, limit - remaining);
    const external = Math.max(0, serverUsed - this.#ownAlive(window, now, now));
    const alive = this.#externalAlive(window, now);
    if (external < alive) {
      // The server forgot some that we still count: the oldest ones expired first.
      // Sorted ascending, the alive ones are the tail of the list.
      this.#external.splice(this.#external.length - alive, alive - external);
    } else if (external > alive) {
      // Spent since the previous response; on the first one, at most a window ago and, by
      // `ratelimit-reset`, no earlier than a window before the oldest expires.
      let from = Math.max(this.#lastObservedAt, now - window.lengthMs + 1);
      if (this.#lastObservedAt === -Infinity && resetAtMs !== undefined) {
        from = Math.min(now, Math.max(from, resetAtMs - window.lengthMs));
      }
      const added = external - alive;
      for (let index = 1; index <= added; index++) {
        this.#external.push(from + ((now - from) * index) / added);
      }
      this.#external.sort((a, b) => a - b);
    }
    this.#lastObservedAt = now;
  }
}
