import type { RateLimitOptions } from './options';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** The timestamps of the requests inside one sliding window, oldest first. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    readonly lengthMs: number,
  ) {}

  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.lengthMs) this.head += 1;
    // Drop expired entries now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  record(now: number): void {
    this.times.push(now);
  }

  /** When the oldest request in the window expires (call `count` first). */
  oldestExpiry(now: number): number {
    const oldest = this.times[this.head];
    return oldest === undefined ? now : oldest + this.lengthMs;
  }
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (epoch seconds). */
  readonly headers: Record<string, string>;
  /** Seconds until a slot frees up, for `retry-after`; set only when refused. */
  readonly retryAfterSeconds?: number;
}

/**
 * DigitalOcean's two sliding windows per token (per minute and per hour), on the real clock.
 * The headers describe the hourly window, as DigitalOcean's do; a 429 says in `retry-after` when the
 * window that refused frees a slot. Refused requests do not count, so a client that honours
 * `retry-after` gets through.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { minute: SlidingWindow; hour: SlidingWindow }>();
  private readonly minuteMs: number;
  private readonly hourMs: number;

  constructor(
    private readonly limits: Required<RateLimitOptions>,
    private readonly realNow: () => number = Date.now,
  ) {
    this.minuteMs = MINUTE_MS / limits.windowScale;
    this.hourMs = HOUR_MS / limits.windowScale;
  }

  /** Counts a request for `token` if both windows have room. */
  take(token: string): RateLimitDecision {
    const now = this.realNow();
    let windows = this.windows.get(token);
    if (!windows) {
      windows = {
        minute: new SlidingWindow(this.limits.perMinute, this.minuteMs),
        hour: new SlidingWindow(this.limits.perHour, this.hourMs),
      };
      this.windows.set(token, windows);
    }
    const { minute, hour } = windows;
    const minuteFull = minute.count(now) >= minute.limit;
    const hourFull = hour.count(now) >= hour.limit;
    if (minuteFull || hourFull) {
      const freeAt = Math.max(
        minuteFull ? minute.oldestExpiry(now) : now,
        hourFull ? hour.oldestExpiry(now) : now,
      );
      return {
        allowed: false,
        headers: this.headers(hour, now),
        retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now) / 1000)),
      };
    }
    minute.record(now);
    hour.record(now);
    return { allowed: true, headers: this.headers(hour, now) };
  }

  /** Headers for a request that is not counted (a bad token): a full, untouched budget. */
  untouched(): Record<string, string> {
    const now = this.realNow();
    return {
      'ratelimit-limit': String(this.limits.perHour),
      'ratelimit-remaining': String(this.limits.perHour),
      'ratelimit-reset': String(Math.ceil(now / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }

  private headers(hour: SlidingWindow, now: number): Record<string, string> {
    return {
      'ratelimit-limit': String(hour.limit),
      'ratelimit-remaining': String(Math.max(0, hour.limit - hour.count(now))),
      'ratelimit-reset': String(Math.ceil(hour.oldestExpiry(now) / 1000)),
    };
  }
}
