import type { LedgerRecordBase } from './ledger-record-base';

/** Everything an unpark needs to recreate a droplet as it was, recorded when it is parked. */
export interface DropletSpec {
  readonly name: string;
  readonly region: string;
  readonly size: string;
  readonly tags: readonly string[];
  readonly vpcUuid?: string;
  readonly ipv6: boolean;
  readonly monitoring: boolean;
  /** Backups were enabled (destroying the droplet deleted them; the recreated one has them enabled again). */
  readonly backups: boolean;
  /** Its reserved IP, reassigned on unpark; absent when it had only a public IPv4 from the pool. */
  readonly reservedIp?: string;
  /** Its public IPv4 when parked, for the record: without a reserved IP the new droplet gets another. */
  readonly publicIpv4?: string;
  /** Volumes attached to it, detached before the destroy and reattached after the create. */
  readonly volumeIds: readonly string[];
  /** Firewalls that named it by id (those that name it by tag keep it by themselves). */
  readonly firewallIds: readonly string[];
  /** The project it was in. */
  readonly projectId?: string;
  /** The size's prices when parked, for the savings. */
  readonly priceHourly?: number;
  readonly priceMonthly?: number;
}

/** One droplet's workflow in one tick of one policy: the key of its first step. */
export interface WorkflowRef {
  readonly policy: string;
  readonly scheduledTime: string;
  readonly dropletId: number;
}

/** A park snapshot: the image an unpark recreates the droplet from. */
export interface ParkSnapshot {
  readonly id: number;
  readonly name: string;
  readonly sizeGb: number;
}

/** One stay of a lineage in the parked state, for `audit --savings`. */
export interface ParkedSpell {
  /** When its droplet was destroyed. */
  readonly parkedAt: string;
  /** When the droplet that replaced it was created; absent while still parked. */
  readonly unparkedAt?: string;
  readonly priceHourly?: number;
  readonly priceMonthly?: number;
  /** The park snapshot's size, billed while it is kept. */
  readonly snapshotSizeGb: number;
}

/**
 * Where a lineage stands. `parking`: its droplet's snapshot is confirmed and its specification
 * recorded, and the destroy may follow; `parked`: the droplet is destroyed and recoverable from
 * `snapshot`; `unparking`: one unpark holds the right to create its droplet; `active`: a droplet
 * exists again (`dropletId`).
 */
export type LineageStatus = 'parking' | 'parked' | 'unparking' | 'active';

/**
 * A droplet's stable identity across parks: the id it had when it was first parked. Parking
 * destroys the droplet and unparking creates a new one with a new id; the lineage records each,
 * with the specification, the park snapshot and the time spent parked.
 */
export interface LineageRecord extends LedgerRecordBase {
  readonly kind: 'lineage';
  readonly lineageId: number;
  readonly status: LineageStatus;
  /** The park policy that parked it (its `-unpark` twin finds it by this). */
  readonly policy: string;
  /** The tick of the last park or unpark. */
  readonly scheduledTime: string;
  /** The droplet that exists now (or last existed, while parked). */
  readonly dropletId: number;
  /** Every droplet id it has had, oldest first. */
  readonly dropletIds: readonly number[];
  readonly name: string;
  readonly spec: DropletSpec;
  /** The park snapshot the droplet is (or was last) recreated from. */
  readonly snapshot: ParkSnapshot;
  /** Park snapshots not yet deleted, oldest first (an unpark keeps the newest `keepSnapshots`). */
  readonly snapshots: readonly ParkSnapshot[];
  readonly spells: readonly ParkedSpell[];
  /** The workflow that made the last move: the park that recorded it, or the unpark that creates its droplet. */
  readonly holder: WorkflowRef;
}

/** Points a droplet id at its lineage: written once, when the droplet is parked or created by an unpark. */
export interface LineageAliasRecord extends LedgerRecordBase {
  readonly kind: 'lineage-alias';
  readonly status: 'recorded';
  readonly dropletId: number;
  readonly lineageId: number;
}
