export { DigitalOceanClient } from './digitalocean-client';
export type {
  DigitalOceanClientOptions,
  RetryOptions,
  RequestEvent,
  RetryEvent,
  ResponseEvent,
  FailureEvent,
} from './digitalocean-client-options';
export {
  RateLimiter,
  DIGITALOCEAN_RATE_LIMIT_WINDOWS,
  digitalOceanWindows,
  type RateLimiterOptions,
  type AcquireOptions,
  type RateLimitWindow,
  type RateLimitFeedback,
  type RateLimitPermit,
  type WindowUsage,
} from './rate-limiter';
export { RateLimiterRegistry, sharedRateLimiters } from './rate-limiter-registry';
export { rateLimitFeedback, retryAfterMs } from './rate-limit-headers';
export { isRetryable, retryDelayMs } from './retry-policy';
export { systemClock, type Clock } from './clock';
