import { createHash } from 'node:crypto';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter';

/**
 * One rate limiter per API token, so that every client on the same token in this process shares
 * one budget. The map is keyed by a digest of the token, never the token itself, so that
 * inspecting or logging the registry cannot reveal it.
 */
export class RateLimiterRegistry {
  readonly #limiters = new Map<string, RateLimiter>();

  /**
   * The token's limiter, created with `options` on first use. Later calls return the same
   * limiter and ignore their options: the first client on a token decides its windows.
   */
  forToken(token: string, options?: RateLimiterOptions): RateLimiter {
    const key = createHash('sha256').update(token).digest('hex').slice(0, 32);
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter(options);
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }

  /** Number of tokens with a limiter. */
  get size(): number {
    return this.#limiters.size;
  }
}

/** The process-wide registry the client uses when it is not given a limiter. */
export const sharedRateLimiters = new RateLimiterRegistry();
