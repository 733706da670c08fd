import { NetworkError, RateLimitedError, ServerError, type DigitalOceanError } from '../../core/errors';

/**
 * Whether a failed attempt may be sent again.
 *
 * - A 429 is always retried: DigitalOcean refused it before doing anything.
 * - Reads and DELETEs are idempotent, so 5xx and network failures are retried too.
 * - A POST starts an action. It is retried only when it certainly never reached DigitalOcean
 *   (connection refused). A 5xx, a timeout or a dropped connection may have started the action;
 *   sending it again could start it twice, so the error surfaces with `outcomeUnknown` and the
 *   caller checks the droplet's actions first.
 * - A POST whose repetition changes nothing (putting droplets in a firewall, resources in a
 *   project) is `idempotent` and retried like a DELETE.
 */
export function isRetryable(
  method: string,
  error: DigitalOceanError,
  idempotent = method !== 'POST',
): boolean {
  if (error instanceof RateLimitedError) return true;
  if (!idempotent) return error instanceof NetworkError && !error.outcomeUnknown;
  return error instanceof ServerError || error instanceof NetworkError;
}

/**
 * The wait before retry number `retry` (1-based): `retry-after` when DigitalOcean said, else an
 * exponential backoff with "equal jitter" (half fixed, half random), so that retries of many
 * clients spread out but never collapse to zero. Undefined when `retry-after` is longer than the
 * client should wait by itself.
 */
export function retryDelayMs(
  error: DigitalOceanError,
  retry: number,
  options: {
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxRetryAfterMs: number;
    readonly random: () => number;
  },
): number | undefined {
  if (error instanceof RateLimitedError && error.retryAfterSeconds !== undefined) {
    const retryAfterMs = error.retryAfterSeconds * 1000;
    return retryAfterMs <= options.maxRetryAfterMs ? retryAfterMs : undefined;
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (options.random() * ceiling) / 2;
}
