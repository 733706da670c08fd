import type { DropletAction } from '../actions/droplet-action';
import type { ShutdownFallback } from './action-options';
import type { ParkingOptions } from './parking-options';
import type { PolicyTargets } from './policy-targets';
import type { SnapshotRetention } from './snapshot-retention';

/**
 * One policy after loading: every default applied, the action separated from the options that
 * only the scheduler reads, and nothing but JSON values, so that it travels unchanged in the
 * EventBridge schedule's input and `parsePolicy` accepts it back as it is.
 */
export interface Policy {
  /** Unique in its file; the EventBridge schedule's name and the ledger's `POLICY#<name>`. */
  readonly name: string;
  /** Free text for people; shown by `plan`. */
  readonly description?: string;
  /**
   * The team whose token, rate budget and initiate concurrency the policy uses (see `team-name.ts`).
   * @default `defaults.team`, else the deployment's own token (`DEFAULT_TEAM`, written as absent)
   */
  readonly team?: string;
  /**
   * A disabled policy is deployed with its schedule disabled and does nothing locally.
   * @default `defaults.enabled`, else true
   */
  readonly enabled: boolean;
  /** An EventBridge Scheduler expression: `cron(…)`, `rate(…)` or `at(…)`, as written. */
  readonly schedule: string;
  /** The IANA time zone the schedule, `at()` and `skipDates` are read in. Required on the policy or in `defaults`. */
  readonly timezone: string;
  /** No tick before this instant (ISO 8601 UTC, as `Date.toISOString` prints it). */
  readonly startDate?: string;
  /** No tick after this instant (ISO 8601 UTC); later than `startDate`. */
  readonly endDate?: string;
  /** EventBridge's flexible time window: each tick may fire up to this many minutes late (1 to 1440). Absent: off. */
  readonly flexibleWindowMinutes?: number;
  /** A tag, or a fixed list of droplet ids. */
  readonly targets: PolicyTargets;
  /**
   * DigitalOcean's request body, validated by `dropletActionSchema`. A snapshot's `name` is not
   * here: see `snapshotNameTemplate`. In a workflow (`steps:` in the file) this is the first step.
   * In a parking policy it is the power state the policy amounts to, `shutdown` to park and
   * `power_on` to unpark, for whatever reads only actions (budgets, the simulated fleet); the
   * engine builds a parking policy's steps from `parking` and never sends this action as such.
   */
  readonly action: DropletAction;
  /**
   * Minutes before an unfinished action is recorded `timed-out` (written as `action.timeoutMinutes` in the file).
   * @default `ACTION_CATALOG[action.type].defaultTimeoutMinutes` (5 for power actions, 360 for snapshots)
   */
  readonly timeoutMinutes: number;
  /** Only on `shutdown`: after `timeoutMinutes`, a droplet still running is powered off. */
  readonly fallback?: ShutdownFallback;
  /** Only on `snapshot`: which of this policy's snapshots to keep. Absent: snapshots are never deleted. */
  readonly retention?: SnapshotRetention;
  /**
   * Skip droplets already in the power state the action leads to (no `power_off` for a droplet that
   * is off), recorded as `skipped`. Always false for types that do not change the power state.
   * @default true for `power_on`, `power_off` and `shutdown`
   */
  readonly skipWhenAlreadyInState: boolean;
  /**
   * Days (`yyyy-mm-dd` in `timezone`) on which ticks do nothing; sorted, no duplicates.
   * @default `defaults.skipDates`, else none
   */
  readonly skipDates: readonly string[];
  /**
   * Only on `snapshot`, and always there: how to name each snapshot (written as `action.name` in the
   * file; see `snapshot-name.ts`).
   * @default DEFAULT_SNAPSHOT_NAME_TEMPLATE, `{policy}--{dropletId}-{utc:yyyyMMdd-HHmm}`
   */
  readonly snapshotNameTemplate?: string;
  /** The `powerSchedule` or `parkSchedule` entry this one was expanded from, e.g. `office-hours` for `office-hours-on`. */
  readonly expandedFrom?: string;
  /**
   * Steps after `action`, run in order on each droplet, each once the one before it has ended
   * (written as `steps:` in the file, whose first entry is `action`): 1 to 9 of them. At most one
   * step of a policy, `action` and `onFailure` included, is a snapshot.
   * @default none: the policy runs `action` alone (and its fallback)
   */
  readonly steps?: readonly PolicyStep[];
  /**
   * Runs once on a droplet when one of its steps fails (errors, times out, or is refused), e.g. a
   * `power_on` after a failed offline snapshot. Allowed with `action` alone too: that is a
   * workflow of one step.
   * @default none
   */
  readonly onFailure?: PolicyStep;
  /**
   * A parking policy (expanded from `parkSchedule`): it parks or unparks droplets. Such a policy
   * has no `steps`, `onFailure` or `retention`, and `skipWhenAlreadyInState` is false.
   * @default none: not a parking policy
   */
  readonly parking?: ParkingOptions;
}

/** One step of a policy's workflow after its first: an action with our options, as `action:` takes them. */
export interface PolicyStep {
  /** DigitalOcean's request body; a snapshot's `name` is in `snapshotNameTemplate`. */
  readonly action: DropletAction;
  /**
   * Minutes before the step is recorded `timed-out`.
   * @default `ACTION_CATALOG[action.type].defaultTimeoutMinutes`
   */
  readonly timeoutMinutes: number;
  /** Only on `shutdown`: after `timeoutMinutes`, a droplet still running is powered off. */
  readonly fallback?: ShutdownFallback;
  /**
   * Only on `snapshot`, and always there.
   * @default DEFAULT_SNAPSHOT_NAME_TEMPLATE
   */
  readonly snapshotNameTemplate?: string;
}

/** Every policy of one file, in file order (a `powerSchedule` contributes its `-on` then `-off`, a `parkSchedule` its `-park` then `-unpark`). */
export interface PolicySet {
  /** The file the policies came from, as the caller named it. */
  readonly file: string;
  readonly policies: readonly Policy[];
}
