import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** HTTP 429: the token's per-minute or per-hour budget is spent. Nothing was carried out. */
export class RateLimitedError extends DigitalOceanError {
  override name = 'RateLimitedError' as const;

  /** Seconds DigitalOcean asked us to wait (`retry-after`), when it said. */
  readonly retryAfterSeconds?: number;

  constructor(details: DigitalOceanErrorDetails & { retryAfterSeconds?: number }) {
    super('rate_limited', details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}
