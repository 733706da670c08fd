import { SimulatorUsageError } from './simulator-error';

/**
 * Simulated time. With `timeScale` N, one real second is N simulated seconds, so a 30-minute
 * snapshot settles in 30 real seconds at N = 60. A manual clock stands still until `advance`,
 * which tests use to settle actions without sleeping.
 */
export class SimulatedClock {
  private readonly realStart: number;
  private readonly simulatedStart: number;
  private offset = 0;

  constructor(
    private readonly timeScale: number,
    private readonly manual: boolean,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
    this.simulatedStart = this.realStart;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    const elapsed = this.manual ? 0 : (this.realNow() - this.realStart) * this.timeScale;
    return Math.floor(this.simulatedStart + elapsed + this.offset);
  }

  /** Moves simulated time forward by `ms` simulated milliseconds (with either kind of clock). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new SimulatorUsageError(`advance(ms): expected a finite number >= 0, got: ${ms}`);
    }
    this.offset += ms;
  }
}
