import { SimulatorUsageError } from './simulator-error';

/**
 * The simulator's clock: wall-clock time plus whatever `advance` added, or, when manual, frozen at
 * the start plus what `advance` added (for tests that must not sleep).
 *
 * `timeScale` does not warp this clock; it shortens action durations instead (see `ActionEngine`).
 * That keeps every `started_at`/`completed_at` comparable with the caller's own clock (ledger
 * `claimedAt`, timeouts), which a clock running N times faster would break within minutes.
 */
export class SimulatedClock {
  private readonly realStart: number;
  private offset = 0;

  constructor(
    private readonly manual: boolean,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realStart = realNow();
  }

  /** Epoch milliseconds. */
  now(): number {
    return (this.manual ? this.realStart : this.realNow()) + this.offset;
  }

  /** Moves the clock forward by `ms` milliseconds (with either kind of clock). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new SimulatorUsageError(`advance(ms): expected a finite number >= 0, got: ${ms}`);
    }
    this.offset += ms;
  }
}
