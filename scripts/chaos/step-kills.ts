import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import { actionId, describeItem, idOf } from '../../lambdas/core/ledger/item-id';
import type { ActionLedger } from '../../lambdas/core/ports/audit-queries';
import type { TargetedKill } from './chaos-scenario';

export interface StepKillsOptions {
  readonly ledger: ActionLedger;
  /** Kills of every scheduler at most. */
  readonly maxKills: number;
  /** The claim's lease (`Timing.actionLeaseMs`): a claim just taken runs this long from its write. */
  readonly leaseMs: number;
  /**
   * Tick times (epoch ms). Kills land only from a few seconds after a tick (when some process has
   * taken it) until `killableMs` after it, so that the work a kill delays (by a lease) can still
   * finish before the next tick needs it, and every restarted process is listening at that tick.
   */
  readonly ticks: readonly number[];
  readonly killableMs: number;
  /** Kills after one tick at most: each delays what it cuts off by a lease. */
  readonly perTick: number;
  /** Least time between two kills: about a lease, so that a step taken over gets to run. */
  readonly minGapMs: number;
  readonly now?: () => number;
}

/** How far back the ledger is looked at for claims just taken. */
const LOOK_BACK_MS = 5_000;
/** A claim older than this is likely held by a process already gone (a random kill): not worth a kill. */
const FRESH_CLAIM_MS = 3_000;
/** No kill this soon after a tick, before some process has taken it. */
const AFTER_TICK_MS = 3_000;

/**
 * Chooses moments to `kill -9` every scheduler at once: while some step's claim is held (its
 * holder between the claim and its answer), preferring the step types not interrupted yet, so
 * that over a run every step of a park and an unpark is cut off midway at least once. After the
 * kill it reads the item again: unchanged, the holder died holding it (the step was interrupted,
 * and someone must take it over when the lease ends); changed, the holder had finished first.
 */
export class StepKills {
  readonly #options: StepKillsOptions;
  readonly #interrupted = new Map<string, number>();
  #kills = 0;
  #last = Number.NEGATIVE_INFINITY;
  readonly #perTick = new Map<number, number>();

  constructor(options: StepKillsOptions) {
    this.#options = options;
  }

  /** Step types interrupted by a kill, and how often. */
  get interrupted(): ReadonlyMap<string, number> {
    return this.#interrupted;
  }

  get kills(): number {
    return this.#kills;
  }

  async next(): Promise<TargetedKill | undefined> {
    const options = this.#options;
    const now = (options.now ?? Date.now)();
    if (this.#kills >= options.maxKills || now - this.#last < options.minGapMs) return undefined;
    const tick = options.ticks.find((at) => now >= at + AFTER_TICK_MS && now <= at + options.killableMs);
    if (tick === undefined || (this.#perTick.get(tick) ?? 0) >= options.perTick) return undefined;
    const page = await options.ledger.queryByStatus('pending', {
      from: new Date(now - LOOK_BACK_MS).toISOString(),
      to: new Date(now + LOOK_BACK_MS).toISOString(),
      limit: 200,
    });
    const held = page.items
      .filter((item): item is ActionRecord => item.kind === 'action' && this.isHeld(item, now))
      .sort((a, b) => (this.#interrupted.get(a.type) ?? 0) - (this.#interrupted.get(b.type) ?? 0));
    const chosen = held[0];
    // The first half of the kills go to step types not cut off yet; the rest to any cut off once.
    const cap = this.#kills < options.maxKills / 2 ? 1 : 2;
    if (chosen === undefined || (this.#interrupted.get(chosen.type) ?? 0) >= cap) return undefined;
    this.#kills += 1;
    this.#last = now;
    this.#perTick.set(tick, (this.#perTick.get(tick) ?? 0) + 1);
    const id = actionId(chosen.policy, chosen.scheduledTime, chosen.dropletId, chosen.step);
    return {
      reason: `${chosen.type} of ${describeItem(idOf(chosen))} (${chosen.policy}) was held, claimed ${chosen.updatedAt}`,
      confirm: async () => {
        const after = await options.ledger.get(id);
        if (after?.version === chosen.version)
          this.#interrupted.set(chosen.type, (this.#interrupted.get(chosen.type) ?? 0) + 1);
      },
    };
  }

  /**
   * A claim whose holder is at work: its last write was the claim, whose lease ends exactly one
   * lease after it (a release sets its own retry time instead), taken a moment ago.
   */
  private isHeld(item: ActionRecord, now: number): boolean {
    if (item.leaseUntil === undefined) return false;
    const lease = Date.parse(item.leaseUntil);
    const claimed = Date.parse(item.updatedAt);
    return lease > now && lease - claimed === this.#options.leaseMs && now - claimed <= FRESH_CLAIM_MS;
  }
}
