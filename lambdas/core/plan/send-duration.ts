import { DIGITALOCEAN_RATE_LIMITS, type RateLimits } from './rate-limits';

/** How long a token takes to send a number of requests from a fresh budget. */
export interface SendDuration {
  readonly requests: number;
  /** `requests / perMinute`: the per-minute window alone. */
  readonly minutesAtPerMinute: number;
  /** `requests / perHour * 60`: the per-hour rate alone. */
  readonly minutesAtPerHour: number;
  /**
   * Both windows together: up to `perHour` requests go at the per-minute pace; each further batch
   * waits for the hour window to slide, an hour after the batch before it.
   */
  readonly minutes: number;
  /** True when the hourly window, not the per-minute one, sets `minutes`. */
  readonly hourBound: boolean;
}

export function sendDuration(requests: number, limits: RateLimits = DIGITALOCEAN_RATE_LIMITS): SendDuration {
  const r = Math.max(0, requests);
  const minutesAtPerMinute = r / limits.perMinute;
  const fullHours = r === 0 ? 0 : Math.ceil(r / limits.perHour) - 1;
  const rest = r - fullHours * limits.perHour;
  const minutes = fullHours * 60 + rest / limits.perMinute;
  return {
    requests: r,
    minutesAtPerMinute,
    minutesAtPerHour: (r / limits.perHour) * 60,
    minutes,
    hourBound: fullHours > 0,
  };
}
