/**
 * Time as the parts that wait see it: the DigitalOcean client and its rate limiter, the local
 * work queue and its drain, the simulator. Injected so that unit tests drive time by hand and the
 * bench runs whole workloads on a discrete-event clock, where a wait advances simulated time
 * instead of sleeping (see `bench/support/discrete-event-clock.ts`).
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
