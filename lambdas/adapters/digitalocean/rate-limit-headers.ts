import type { RateLimitFeedback } from './rate-limiter';

/**
 * Reads DigitalOcean's rate-limit headers: `ratelimit-limit`, `ratelimit-remaining`,
 * `ratelimit-reset` (epoch seconds) and, on a 429, `retry-after` (seconds, or an HTTP date).
 * Headers that are absent or malformed are left out rather than guessed.
 */
export function rateLimitFeedback(headers: Headers, status: number, nowMs: number): RateLimitFeedback {
  const limit = integerHeader(headers, 'ratelimit-limit');
  const remaining = integerHeader(headers, 'ratelimit-remaining');
  const reset = numberHeader(headers, 'ratelimit-reset');
  const rateLimited = status === 429;
  return {
    ...(limit !== undefined && remaining !== undefined ? { limit, remaining } : {}),
    ...(reset !== undefined ? { resetAtMs: reset * 1000 } : {}),
    ...(rateLimited ? { rateLimited, retryAfterMs: retryAfterMs(headers, nowMs) } : {}),
  };
}

/** `retry-after` in milliseconds, or undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

function integerHeader(headers: Headers, name: string): number | undefined {
  const value = numberHeader(headers, name);
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

function numberHeader(headers: Headers, name: string): number | undefined {
  const value = headers.get(name)?.trim();
  if (!value || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}
