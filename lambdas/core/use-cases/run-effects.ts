import type { ActionRecord } from '../ledger/action-record';
import type { Effect } from '../ledger/ledger-record-base';
import { idOf } from '../ledger/item-id';
import type { LedgerRecord } from '../ledger/ledger-record';
import { commit } from '../state/commit';
import { eventFor } from './action-events';
import { applyRetention } from './apply-retention';
import { nextStepOf } from './next-step';
import type { UseCaseDependencies } from './use-case-dependencies';

export interface EffectsReport {
  readonly done: readonly Effect[];
  /** Effects that failed; the item keeps them, and the reconciler tries again. */
  readonly failed: readonly { readonly effect: Effect; readonly error: unknown }[];
  /** Snapshots retention deleted. */
  readonly snapshotsDeleted: number;
}

/**
 * Carries out what a terminal write left in the item's outbox, then clears what was done. Each
 * effect is safe to repeat (events carry a stable id, a next step is claimed like any action, a
 * retention deletion is recorded before its DELETE), so a crash anywhere here repeats some of them
 * and loses none: the reconciler finds the item on the `open` index until its outbox is empty.
 */
export async function runEffects(deps: UseCaseDependencies, item: LedgerRecord): Promise<EffectsReport> {
  const done: Effect[] = [];
  const failed: { effect: Effect; error: unknown }[] = [];
  let snapshotsDeleted = 0;
  for (const effect of item.outbox ?? []) {
    try {
      if (effect === 'event') {
        const event = eventFor(item);
        if (event) await deps.events.publish([event]);
      } else if (effect === 'next-step') {
        const next = nextStepOf(deps, item as ActionRecord);
        if (next) await deps.queue.send([next]);
      } else {
        snapshotsDeleted += await applyRetention(deps, item as ActionRecord);
      }
      done.push(effect);
    } catch (error) {
      failed.push({ effect, error });
    }
  }
  if (done.length > 0) await commit(deps, idOf(item), { type: 'effects-done', done }, item);
  return { done, failed, snapshotsDeleted };
}
