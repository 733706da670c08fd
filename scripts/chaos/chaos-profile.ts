/** How long and how hard one chaos run pushes: the full run, or the `--quick` one for CI. */
export interface ChaosProfile {
  readonly name: 'full' | 'quick';
  /** Tick minutes (wall-clock minute boundaries) the chaos window must contain. */
  readonly tickMinutes: number;
  /** How long the window goes on after its last tick minute, so that kills land on its work. */
  readonly tailMs: number;
  /** `kill -9`s on random scheduler processes during the window. */
  readonly kills: number;
  /** Longest wait for every open ledger item to settle once the faults stop. */
  readonly settleTimeoutMs: number;
  /** Droplets of the per-droplet policies: snapshot with retention, shutdown with fallback, reboot by ids. */
  readonly snapshotDroplets: number;
  readonly shutdownDroplets: number;
  readonly rebootDroplets: number;
  /**
   * Droplets of the two overlapping reboot policies, every POST of which loses its answer: two
   * ticks' claims on one droplet that both have to find their action by looking.
   */
  readonly overlapDroplets: number;
}

export const FULL_PROFILE: ChaosProfile = {
  name: 'full',
  tickMinutes: 4,
  tailMs: 30_000,
  kills: 5,
  settleTimeoutMs: 180_000,
  snapshotDroplets: 30,
  shutdownDroplets: 30,
  rebootDroplets: 60,
  overlapDroplets: 4,
};

export const QUICK_PROFILE: ChaosProfile = {
  name: 'quick',
  tickMinutes: 1,
  tailMs: 30_000,
  kills: 3,
  settleTimeoutMs: 120_000,
  snapshotDroplets: 12,
  shutdownDroplets: 12,
  rebootDroplets: 24,
  overlapDroplets: 3,
};

/** The fleet every profile runs on (issue 8: 2,000 droplets). */
export const FLEET_SIZE = 2_000;

/** Droplets on the bulk-power tag (power_off and power_cycle by tag, one request per tick each). */
export const BULK_TAG_SIZE = 800;

/**
 * DigitalOcean's side runs this many times faster (simulator and schedulers alike). Every wait
 * the use cases plan on DigitalOcean's behalf shrinks by it (a reboot's 10-minute timeout becomes
 * 20 s); the protocol's own leases do not (a crashed local dispatch is taken over after a minute),
 * and the settle phase outlasts them. The rate-limit windows stay real, so a larger factor would
 * time out actions still waiting for their turn in the token's budget.
 */
export const TIME_SCALE = 30;

/** The injected faults while the window is open. */
export const CHAOS_FAULTS = {
  serverErrorRate: 0.1,
  dropAfterProcessRate: 0.1,
  latencyMs: 20,
  ineffectiveShutdownRate: 0.3,
} as const;

/** The second client's pace on the same token: part of the 250-a-minute budget. */
export const SECOND_CLIENT_PER_MINUTE = 60;

/** Scheduler processes running the same policies: every tick is delivered this many times. */
export const SCHEDULER_PROCESSES = 3;

/**
 * How long the holding proxy keeps a bulk dispatch's POST waiting: longer than a local run's lease
 * (a minute), so that the tick is taken over while the held request still waits.
 */
export const BULK_HOLD_MS = 70_000;

/** Which kind of run: the standard exactly-once run, or the parking one (`--profile park`). */
export type ChaosKind = 'standard' | 'park';

export interface ChaosArguments {
  readonly kind: ChaosKind;
  /** The short run, for CI. */
  readonly quick: boolean;
  /** Chaos runs back to back, each with its own fault and kill schedule. */
  readonly runs: number;
}

const USAGE = 'expected --profile standard|park, --quick and --runs N';

export function argumentsFrom(argv: readonly string[]): ChaosArguments {
  let runs = 1;
  let quick = false;
  let kind: ChaosKind = 'standard';
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--runs') {
      const value = argv[index + 1];
      runs = Number(value);
      index += 1;
      if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
        throw new Error(
          `run-chaos: --runs: expected a whole number from 1 to 20, got: ${JSON.stringify(value)}`,
        );
      }
    } else if (arg === '--profile') {
      const value = argv[index + 1];
      index += 1;
      if (value !== 'standard' && value !== 'park') {
        throw new Error(`run-chaos: --profile: expected standard or park, got: ${JSON.stringify(value)}`);
      }
      kind = value;
    } else {
      throw new Error(`run-chaos: unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
    }
  }
  return { kind, quick, runs };
}
