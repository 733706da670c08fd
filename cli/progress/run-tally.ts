import type { InitiateOutcome } from '../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';

/** One droplet DigitalOcean refused, with its own message. */
export interface Rejection {
  readonly dropletId: number;
  readonly dropletName?: string;
  readonly message: string;
}

/** What one run of a policy did, droplet by droplet, for the summary table and `--json`. */
export interface RunTally {
  started: number;
  skipped: number;
  rejected: number;
  /** Items still queued when the drain ended (a busy droplet waiting for its retry). */
  retrying: number;
  readonly rejections: Rejection[];
  /** Why droplets were skipped, with how many each (e.g. "droplet already off": 3). */
  readonly skipReasons: Map<string, number>;
}

export function emptyTally(): RunTally {
  return { started: 0, skipped: 0, rejected: 0, retrying: 0, rejections: [], skipReasons: new Map() };
}

/**
 * Counts one initiate outcome. A `retrying` outcome is not counted here: the item goes back on the
 * queue and comes out again; what is still queued at the end is the `retrying` figure.
 */
export function countOutcome(tally: RunTally, item: InitiateWorkItem, outcome: InitiateOutcome): void {
  switch (outcome.kind) {
    case 'started':
    case 'adopted':
    case 'done':
      tally.started += 1;
      return;
    case 'skipped':
      tally.skipped += 1;
      tally.skipReasons.set(outcome.reason, (tally.skipReasons.get(outcome.reason) ?? 0) + 1);
      return;
    case 'rejected':
    case 'timed-out':
      tally.rejected += 1;
      tally.rejections.push({
        dropletId: item.dropletId,
        dropletName: item.dropletName,
        message: outcome.message,
      });
      return;
    case 'retrying':
    case 'duplicate':
      return;
  }
}
