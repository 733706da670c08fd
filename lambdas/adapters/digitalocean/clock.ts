/**
 * Time as the client and the rate limiter see it. Injected so that unit tests can drive the
 * limiter's sliding windows and the retry backoff without sleeping for real.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (the rate-limit headers speak epoch seconds). */
  now(): number;
  /**
   * Resolves once `ms` milliseconds have passed on this clock, or at once when `signal` aborts
   * (without rejecting: the caller looks at the signal).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      // The timer is cleared on abort, so that a stopped client does not keep the process alive.
      const timer = setTimeout(wake, Math.max(0, ms));
      signal?.addEventListener('abort', wake, { once: true });
    }),
};
