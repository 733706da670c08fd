/**
 * Time as the client and the rate limiter see it. Injected so that unit tests can drive the
 * limiter's sliding windows and the retry backoff without sleeping for real.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (the rate-limit headers speak epoch seconds). */
  now(): number;
  /** Resolves once `ms` milliseconds have passed on this clock. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
