/** A DigitalOcean token's request budget: two sliding windows, both enforced. */
export interface RateLimits {
  /** @default 250 */
  readonly perMinute: number;
  /** @default 5000 */
  readonly perHour: number;
}

/** DigitalOcean's published limits per token (DESIGN.md section 5). */
export const DIGITALOCEAN_RATE_LIMITS: RateLimits = { perMinute: 250, perHour: 5000 };
