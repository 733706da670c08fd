import { DropletSchedulerError } from '../errors/droplet-scheduler-error';
import { describeItem, type ItemId } from '../ledger/item-id';
import type { LedgerItem, LedgerRecord } from '../ledger/ledger-record';
import type { OverrideRecord } from '../ledger/override-record';
import type { LedgerStore } from '../ports/ledger-store';
import type { Timing } from './timing';
import { transition, type LedgerEvent, type Row } from './transitions';

/** Writes racing on one item that a commit re-reads and re-decides before it gives up. */
const MAX_ROUNDS = 5;

export interface CommitDependencies {
  readonly ledger: LedgerStore;
  readonly now: () => Date;
  readonly timing: Timing;
}

/** The events that move an override; every other event moves a tick's items. */
export type OverrideEvent = Extract<LedgerEvent, { type: 'snooze' | 'cancel' }>;

/** What a commit did; `T` is the kind of item the event moves (an override, or a tick's item). */
export type Committed<T extends LedgerItem = LedgerRecord> =
  | {
      readonly ok: true;
      /** The item before this write; undefined when this write created it. */
      readonly previous: T | undefined;
      readonly item: T;
      readonly row: Row;
    }
  | {
      readonly ok: false;
      /** Why `transition` refused, e.g. `claim: expected the lease has ended, found action pending, …`. */
      readonly refusal: string;
      /** The item as it stands (undefined when there is none). */
      readonly current: T | undefined;
    };

/**
 * Applies `event` to the item `id` for good: reads the item (unless `known` says what it is, or
 * `null` that it is surely new), lets `transition` decide, and persists the answer with a
 * create-if-absent or a compare-and-set on `version`. A write that loses a race is decided again on
 * what won, so the answer is always the state machine's, and exactly one writer makes a given move.
 */
export async function commit(
  deps: CommitDependencies,
  id: ItemId,
  event: OverrideEvent,
  known?: OverrideRecord | null,
): Promise<Committed<OverrideRecord>>;
export async function commit(
  deps: CommitDependencies,
  id: ItemId,
  event: Exclude<LedgerEvent, OverrideEvent>,
  known?: LedgerItem | null,
): Promise<Committed>;
export async function commit(
  deps: CommitDependencies,
  id: ItemId,
  event: LedgerEvent,
  known?: LedgerItem | null,
): Promise<Committed<LedgerItem>> {
  let current = known === undefined ? await deps.ledger.get(id) : (known ?? undefined);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const decided = transition(current, event, { now: deps.now(), timing: deps.timing });
    if (!decided.ok) return { ok: false, refusal: decided.refusal, current };
    if (current === undefined) {
      const created = await deps.ledger.create(decided.item);
      if (created.created) return { ok: true, previous: undefined, item: created.item, row: decided.row };
      current = created.existing;
    } else {
      const put = await deps.ledger.put(decided.item, current.version);
      if (put.written) return { ok: true, previous: current, item: put.item, row: decided.row };
      current = put.current;
    }
  }
  throw new DropletSchedulerError(
    'ledger_contention',
    `${event.type} on ${describeItem(id)}: expected to write within ${MAX_ROUNDS} tries, found it changed by another writer each time`,
  );
}
