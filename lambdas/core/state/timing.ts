import { ConfigurationError } from '../errors/configuration-error';

/** The settings a `Timing` is built from; every field has a production default. */
export interface TimingOptions {
  /**
   * How many times faster than real time DigitalOcean's side runs: 1 in production, the
   * simulator's `--time-scale` locally. Only waits on DigitalOcean's behalf shrink by it.
   * @default 1
   */
  readonly timeScale?: number;
  /**
   * How long one claim (an action's or a deletion's) is held: from the moment it is taken, the
   * holder sends its request and records the answer inside it. Guards our own process: never scaled.
   * @default 45000
   */
  readonly actionLeaseMs?: number;
  /**
   * How long one dispatch holds its run. Longer than a dispatch may run (the dispatch Lambda's
   * timeout), so that a slow dispatch is never joined by a second one. Never scaled.
   * @default 960000 (the Lambda maximum of 15 minutes, plus one)
   */
  readonly runLeaseMs?: number;
  /**
   * Longest time one HTTP attempt to DigitalOcean may take, from sending to reading the body.
   * @default 30000
   */
  readonly clientTimeoutMs?: number;
  /**
   * How far apart the clocks of two of our processes may be.
   * @default 2000
   */
  readonly clockSkewMs?: number;
  /**
   * How long a request aborted at its deadline may still travel before DigitalOcean acts on it,
   * and how long an answer may take to be written to the ledger.
   * @default 5000
   */
  readonly transitMs?: number;
  /**
   * How long a write may take to show in a secondary index (DynamoDB's GSIs are eventually
   * consistent, usually within a second).
   * @default 5000
   */
  readonly indexLagMs?: number;
  /**
   * How long the process that made a terminal write has to carry out its effects (publish the
   * event, queue the follow-up) before the reconciler does it instead. Never scaled.
   * @default 30000
   */
  readonly effectsGraceMs?: number;
}

/**
 * Every duration the exactly-once protocol rests on, in one validated value. It refuses to exist
 * when the inequalities that make it safe do not hold, and names the values involved:
 *
 * - A request sent under a claim is aborted at `deadline = leaseUntil - sendMarginMs`, so no request
 *   of an expired claim can reach DigitalOcean: `sendMarginMs >= clockSkewMs + transitMs`.
 * - A request sent right after the claim must be able to run its whole attempt before the
 *   deadline: `clientTimeoutMs + sendMarginMs <= actionLeaseMs`.
 * - An action found by looking (its answer was lost) is adopted only once every claim that could
 *   have sent it shows in the by-droplet index: `adoptAfterMs = 2 * clockSkewMs + indexLagMs` after
 *   it started. Those claims are then fenced (their version moved on) before the adoption, so that
 *   no late write of theirs can record it too.
 *
 * Waits on DigitalOcean's behalf (how long an action takes, busy-droplet retries) go through
 * `scaled`; deadlines that guard our own processes never do.
 */
export class Timing {
  readonly timeScale: number;
  readonly actionLeaseMs: number;
  readonly runLeaseMs: number;
  readonly clientTimeoutMs: number;
  readonly clockSkewMs: number;
  readonly transitMs: number;
  readonly indexLagMs: number;
  readonly effectsGraceMs: number;

  constructor(options: TimingOptions = {}) {
    this.timeScale = positive('timeScale', options.timeScale ?? 1);
    this.actionLeaseMs = positive('actionLeaseMs', options.actionLeaseMs ?? 45_000);
    this.runLeaseMs = positive('runLeaseMs', options.runLeaseMs ?? 960_000);
    this.clientTimeoutMs = positive('clientTimeoutMs', options.clientTimeoutMs ?? 30_000);
    this.clockSkewMs = nonNegative('clockSkewMs', options.clockSkewMs ?? 2_000);
    this.transitMs = nonNegative('transitMs', options.transitMs ?? 5_000);
    this.indexLagMs = nonNegative('indexLagMs', options.indexLagMs ?? 5_000);
    this.effectsGraceMs = positive('effectsGraceMs', options.effectsGraceMs ?? 30_000);
    if (this.clientTimeoutMs + this.sendMarginMs > this.actionLeaseMs) {
      throw new ConfigurationError(
        `clientTimeoutMs: expected at most ${this.actionLeaseMs - this.sendMarginMs} ms, so that one ` +
          `attempt fits in the claim's lease (actionLeaseMs ${this.actionLeaseMs} ms, less the send ` +
          `margin of ${this.sendMarginMs} ms), got ${this.clientTimeoutMs} ms`,
      );
    }
    if (this.runLeaseMs < this.actionLeaseMs) {
      throw new ConfigurationError(
        `runLeaseMs: expected at least actionLeaseMs (${this.actionLeaseMs} ms), since a dispatch ` +
          `sends a bulk request under its run's lease, got ${this.runLeaseMs} ms`,
      );
    }
  }

  /** The margin before a lease ends after which nothing is sent under it any more. */
  get sendMarginMs(): number {
    return this.clockSkewMs + this.transitMs;
  }

  /** How long after it started an action found by looking may be adopted (see the class comment). */
  get adoptAfterMs(): number {
    return 2 * this.clockSkewMs + this.indexLagMs;
  }

  /**
   * How far past its window a claim that met a lost answer is still followed through: one lease
   * and one adoption delay, the protocol's own recovery, which does not count against the policy.
   */
  get recoveryGraceMs(): number {
    return this.actionLeaseMs + this.adoptAfterMs;
  }

  /** The last moment a request may be sent under a lease that ends at `leaseUntil` (epoch ms). */
  sendDeadline(leaseUntil: string | number): number {
    return new Date(leaseUntil).getTime() - this.sendMarginMs;
  }

  /** Whether a lease that ends at `leaseUntil` has surely ended for every one of our clocks. */
  leaseExpired(leaseUntil: string | undefined, now: Date): boolean {
    return leaseUntil === undefined || Date.parse(leaseUntil) + this.clockSkewMs < now.getTime();
  }

  /** A duration in DigitalOcean's time, as milliseconds of our clock. */
  scaled(ms: number): number {
    return ms / this.timeScale;
  }

  /** `from` plus a duration in DigitalOcean's time, as an ISO instant. */
  afterDo(from: Date | string | number, ms: number): string {
    return new Date(new Date(from).getTime() + this.scaled(ms)).toISOString();
  }

  /** `from` plus a duration of our own clock (never scaled), as an ISO instant. */
  after(from: Date | string | number, ms: number): string {
    return new Date(new Date(from).getTime() + ms).toISOString();
  }
}

function positive(field: string, value: number): number {
  if (Number.isFinite(value) && value > 0) return value;
  throw new ConfigurationError(`${field}: expected a positive number, got ${value}`);
}

function nonNegative(field: string, value: number): number {
  if (Number.isFinite(value) && value >= 0) return value;
  throw new ConfigurationError(`${field}: expected a number >= 0, got ${value}`);
}
