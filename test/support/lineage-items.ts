import { lineageAliasId, lineageId } from '../../lambdas/core/ledger/item-id';
import type { DropletSpec, LineageRecord, WorkflowRef } from '../../lambdas/core/ledger/lineage-record';
import type { LedgerStore } from '../../lambdas/core/ports/ledger-store';
import { applyEvent } from './ledger-items';

/** One park, and the unpark that ended it (absent: still parked). */
export interface ParkCycle {
  /** The park tick; the destroy is recorded at `parkedAt`. */
  readonly parkTick: string;
  readonly parkedAt: string;
  readonly snapshotGb: number;
  readonly unpark?: { readonly tick: string; readonly createdAt: string; readonly dropletId: number };
}

/** A droplet parked and unparked some times, as the park and unpark workflows record it. */
export interface LineageSeed {
  readonly policy: string;
  readonly dropletId: number;
  readonly name: string;
  readonly size?: string;
  /** The size's prices, recorded with the spec at each park; absent, none is recorded. */
  readonly price?: { readonly hourly: number; readonly monthly: number };
  readonly cycles: readonly ParkCycle[];
}

/**
 * Writes a lineage through the state machine only, event by event as the engine commits them:
 * `park-recorded`, `destroyed`, `reserve-create`, `created`, with an alias for every droplet id.
 * Returns the lineage as stored.
 */
export async function seedLineage(ledger: LedgerStore, seed: LineageSeed): Promise<LineageRecord> {
  const id = lineageId(seed.dropletId);
  const unparkPolicy = seed.policy.replace(/-park$/, '-unpark');
  let current = seed.dropletId;
  await alias(ledger, seed, current, seed.cycles[0]!.parkTick);
  let snapshotId = 7_000_000 + (seed.dropletId % 1_000_000) * 100;
  for (const cycle of seed.cycles) {
    snapshotId += 1;
    const at = { now: new Date(cycle.parkTick) };
    const park: WorkflowRef = { policy: seed.policy, scheduledTime: cycle.parkTick, dropletId: current };
    const snapshot = {
      id: snapshotId,
      name: `${seed.policy}--park--${current}-${cycle.parkTick.slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}`,
      sizeGb: cycle.snapshotGb,
    };
    await applyEvent(
      ledger,
      id,
      {
        type: 'park-recorded',
        init: {
          kind: 'lineage',
          policy: seed.policy,
          scheduledTime: cycle.parkTick,
          lineageId: seed.dropletId,
          dropletId: current,
          spec: specOf(seed),
          snapshot,
          holder: park,
        },
      },
      at,
    );
    await applyEvent(
      ledger,
      id,
      { type: 'destroyed', holder: park, dropletId: current, at: cycle.parkedAt },
      { now: new Date(cycle.parkedAt) },
    );
    if (!cycle.unpark) continue;
    const unpark: WorkflowRef = {
      policy: unparkPolicy,
      scheduledTime: cycle.unpark.tick,
      dropletId: current,
    };
    await applyEvent(
      ledger,
      id,
      { type: 'reserve-create', holder: unpark, scheduledTime: cycle.unpark.tick, holderFinished: false },
      { now: new Date(cycle.unpark.tick) },
    );
    await applyEvent(
      ledger,
      id,
      { type: 'created', holder: unpark, dropletId: cycle.unpark.dropletId, at: cycle.unpark.createdAt },
      { now: new Date(cycle.unpark.createdAt) },
    );
    current = cycle.unpark.dropletId;
    await alias(ledger, seed, current, cycle.unpark.tick);
    // The unpark deletes the park snapshot once the droplet runs again (keepSnapshots 0).
    await applyEvent(
      ledger,
      id,
      { type: 'snapshots-pruned', ids: [snapshotId] },
      { now: new Date(cycle.unpark.createdAt) },
    );
  }
  const stored = await ledger.get(id);
  if (stored?.kind !== 'lineage') throw new Error(`expected lineage ${seed.dropletId} in the ledger`);
  return stored;
}

function specOf(seed: LineageSeed): DropletSpec {
  return {
    name: seed.name,
    region: 'nyc3',
    size: seed.size ?? 's-4vcpu-8gb',
    tags: ['staging'],
    ipv6: false,
    monitoring: false,
    backups: false,
    volumeIds: [],
    firewallIds: [],
    ...(seed.price ? { priceHourly: seed.price.hourly, priceMonthly: seed.price.monthly } : {}),
  };
}

async function alias(ledger: LedgerStore, seed: LineageSeed, dropletId: number, tick: string): Promise<void> {
  await applyEvent(
    ledger,
    lineageAliasId(dropletId),
    {
      type: 'alias',
      init: {
        kind: 'lineage-alias',
        policy: seed.policy,
        scheduledTime: tick,
        dropletId,
        lineageId: seed.dropletId,
      },
    },
    { now: new Date(tick) },
  );
}
