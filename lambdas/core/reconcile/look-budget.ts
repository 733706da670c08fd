import { ConfigurationError } from '../errors/configuration-error';
import { DIGITALOCEAN_RATE_LIMITS } from '../plan/rate-limits';
import { ActionListMemory } from './action-list-memory';

export interface LookBudgetOptions {
  /**
   * The reconciler's share of the token's hourly limit, from 0 (exclusive) to 1. Initiation has
   * the rest: the reconciler never spends more than this in any sliding hour.
   * @default 0.1
   */
  readonly share?: number;
  /**
   * The token's hourly limit.
   * @default 5000 (DigitalOcean's)
   */
  readonly hourlyLimit?: number;
  /**
   * The longest burst one pass may spend, as minutes of the share saved up: quiet passes save
   * for the pass after a large tick, when a thousand quick actions finish at once.
   * @default 10 (83 requests at a 10% share of 5,000)
   */
  readonly burstMinutes?: number;
  /**
   * When the budget starts filling, in epoch milliseconds: idle passes since then have saved up.
   * @default Date.now() at construction
   */
  readonly startedAt?: number;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/**
 * The reconciler's request budget, kept by whoever runs the passes (the reconcile Lambda's warm
 * container, the local scheduler, the bench) and handed to each pass. A token bucket that fills
 * at the share's rate up to a burst, under a hard cap of the share in any sliding hour.
 *
 * A fresh budget holds one minute's worth: a Lambda that starts cold every pass then spends no
 * more than its steady share, and a warm one saves up idle minutes for the next burst.
 */
export class LookBudget {
  readonly share: number;
  readonly hourlyLimit: number;
  /** What the passes learnt about the action list; it lives as long as the budget. */
  readonly list = new ActionListMemory();
  readonly #perMs: number;
  readonly #burst: number;
  readonly #hourCap: number;
  #tokens: number;
  #filledAt: number;
  /** When each request of the last hour was spent, oldest first. */
  #spent: number[] = [];

  constructor(options: LookBudgetOptions = {}) {
    this.share = options.share ?? 0.1;
    if (!(this.share > 0 && this.share <= 1)) {
      throw new ConfigurationError(
        `reconcile budget share: expected a fraction in (0, 1], got ${this.share}`,
      );
    }
    this.hourlyLimit = options.hourlyLimit ?? DIGITALOCEAN_RATE_LIMITS.perHour;
    if (!(Number.isInteger(this.hourlyLimit) && this.hourlyLimit > 0)) {
      throw new ConfigurationError(`hourlyLimit: expected a positive integer, got ${this.hourlyLimit}`);
    }
    const burstMinutes = options.burstMinutes ?? 10;
    if (!(burstMinutes >= 1)) {
      throw new ConfigurationError(`burstMinutes: expected a number >= 1, got ${burstMinutes}`);
    }
    this.#hourCap = Math.floor(this.share * this.hourlyLimit);
    this.#perMs = this.#hourCap / HOUR_MS;
    this.#burst = this.#perMs * burstMinutes * MINUTE_MS;
    this.#tokens = this.#perMs * MINUTE_MS;
    this.#filledAt = options.startedAt ?? Date.now();
  }

  /** Requests this pass may make at `now`: what the bucket holds, within the sliding hour's cap. */
  allowance(now: number): number {
    this.#fill(now);
    while (this.#spent.length > 0 && (this.#spent[0] as number) <= now - HOUR_MS) this.#spent.shift();
    return Math.max(0, Math.min(Math.floor(this.#tokens), this.#hourCap - this.#spent.length));
  }

  /** Records requests made at `now` (one pass's reads). */
  spend(now: number, requests: number): void {
    this.#fill(now);
    this.#tokens -= requests;
    for (let index = 0; index < requests; index += 1) this.#spent.push(now);
  }

  #fill(now: number): void {
    if (now > this.#filledAt) {
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#filledAt) * this.#perMs);
      this.#filledAt = now;
    }
  }
}
