import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { LineageRecord } from '../../lambdas/core/ledger/lineage-record';
import { parkSnapshotName } from '../../lambdas/core/parking/park-snapshot-name';
import type { DropletRecord, HistoryEvent } from '../../simulator';
import {
  computeParkFigures,
  observedSpec,
  percentile,
  type ParkCycleView,
  type ParkObservation,
} from '../../scripts/chaos/park-figures';

const PARK_TICK = '2026-11-30T15:35:00.000Z';
const UNPARK_TICK = '2026-11-30T15:38:00.000Z';
const at = (tick: string, seconds: number) => Date.parse(tick) + seconds * 1000;
const iso = (tick: string, seconds: number) => new Date(at(tick, seconds)).toISOString();
const OLD_ID = 400_000_001;
const NEW_ID = 400_000_101;
const SNAPSHOT_ID = 900_001;
const RESERVED_IP = '203.0.113.7';
const PARK = 'park-fleet-c1-park';
const UNPARK = 'park-fleet-c1-unpark';
const SNAPSHOT_NAME = parkSnapshotName(PARK, OLD_ID, PARK_TICK);
const TIME_SCALE = 30;

const cycle: ParkCycleView = {
  tag: 'park-fleet',
  parkPolicy: PARK,
  unparkPolicy: UNPARK,
  parkTick: PARK_TICK,
  unparkTick: UNPARK_TICK,
  keepSnapshots: 0,
};

function droplet(id: number, fields: Partial<DropletRecord> = {}): DropletRecord {
  return {
    id,
    name: 'pk-db-1',
    status: 'active',
    locked: false,
    sizeSlug: 's-1vcpu-2gb',
    memory: 2048,
    vcpus: 1,
    disk: 50,
    usedDiskGb: 0.1,
    snapshotMinutesPerGb: 0.4,
    regionSlug: 'fra1',
    imageSlug: null,
    imageId: 1,
    tags: ['park-fleet', 'team-data'],
    ipv6: true,
    monitoring: true,
    vpcUuid: 'vpc-fra1',
    backups: false,
    backupPolicy: null,
    backupIds: [],
    nextBackupAt: null,
    snapshotIds: [],
    volumeIds: [],
    kernelId: null,
    index: 0,
    createdAt: 0,
    ...fields,
  };
}

type FinalState = ParkObservation['final'];

function account(droplets: DropletRecord[], reservedTo: number): FinalState {
  return {
    droplets,
    snapshots: [],
    reservedIps: [
      { ip: RESERVED_IP, regionSlug: 'fra1', dropletId: reservedTo, locked: false, projectId: 'p' },
    ],
    volumes: [],
    firewalls: [],
    projects: [],
    actions: [],
  };
}

function step(
  policy: string,
  dropletId: number,
  stepIndex: number,
  type: string,
  seconds: number,
  fields: Partial<ActionRecord> = {},
): ActionRecord {
  const tick = policy === PARK ? PARK_TICK : UNPARK_TICK;
  return {
    kind: 'action',
    version: 4,
    policy,
    scheduledTime: tick,
    dropletId,
    step: stepIndex,
    mode: 'per-droplet',
    type: type as ActionRecord['type'],
    status: 'completed',
    attempts: 1,
    claimedAt: iso(tick, seconds - 1),
    updatedAt: iso(tick, seconds),
    completedAt: iso(tick, seconds),
    expiresAt: 0,
    ...fields,
  } as ActionRecord;
}

/** One clean cycle: parked at +20 s (snapshot listed at +15 s), recreated at +5 s of the unpark tick, restored at +24 s. */
function cleanCycle(): {
  items: ActionRecord[];
  history: HistoryEvent[];
  final: FinalState;
  lineage: LineageRecord;
} {
  const after = droplet(NEW_ID, { imageId: SNAPSHOT_ID });
  const items = [
    step(PARK, OLD_ID, 0, 'inspect', 1),
    step(PARK, OLD_ID, 3, 'snapshot', 15, { params: { name: SNAPSHOT_NAME } }),
    step(PARK, OLD_ID, 4, 'confirm-snapshot', 16, { params: { name: SNAPSHOT_NAME } }),
    step(PARK, OLD_ID, 6, 'destroy', 20),
    step(UNPARK, OLD_ID, 0, 'create', 10, { params: { lineageId: OLD_ID } }),
    step(UNPARK, OLD_ID, 1, 'restore', 24, { params: { lineageId: OLD_ID } }),
    step(UNPARK, OLD_ID, 2, 'delete-snapshot', 26, { params: { lineageId: OLD_ID } }),
  ];
  const history: HistoryEvent[] = [
    {
      kind: 'snapshot-taken',
      at: at(PARK_TICK, 15),
      snapshotId: SNAPSHOT_ID,
      dropletId: OLD_ID,
      name: SNAPSHOT_NAME,
      sizeGigabytes: 0.1,
    },
    { kind: 'droplet-destroyed', at: at(PARK_TICK, 20), dropletId: OLD_ID, name: 'pk-db-1' },
    {
      kind: 'droplet-created',
      at: at(UNPARK_TICK, 5),
      dropletId: NEW_ID,
      name: 'pk-db-1',
      imageId: SNAPSHOT_ID,
      tags: ['park-fleet', 'team-data'],
      actionId: 77,
    },
    {
      kind: 'snapshot-deleted',
      at: at(UNPARK_TICK, 26),
      snapshotId: SNAPSHOT_ID,
      dropletId: OLD_ID,
      name: SNAPSHOT_NAME,
    },
  ];
  const lineage = {
    kind: 'lineage',
    lineageId: OLD_ID,
    status: 'active',
    dropletId: NEW_ID,
    dropletIds: [OLD_ID, NEW_ID],
    name: 'pk-db-1',
    snapshot: { id: SNAPSHOT_ID, name: SNAPSHOT_NAME, sizeGb: 0.1 },
    snapshots: [],
    holder: { policy: UNPARK, scheduledTime: UNPARK_TICK, dropletId: OLD_ID },
  } as unknown as LineageRecord;
  return { items, history, final: account([after], NEW_ID), lineage };
}

function observe(parts: ReturnType<typeof cleanCycle>): ParkObservation {
  const setUp = account([droplet(OLD_ID)], OLD_ID);
  return {
    cycles: [cycle],
    tracked: [
      { id: OLD_ID, tag: 'park-fleet', skipped: false, spec: observedSpec(setUp, setUp.droplets[0]!) },
    ],
    records: parts.items,
    lineages: [parts.lineage],
    history: parts.history,
    final: parts.final,
    setupEndedAt: at(PARK_TICK, -60),
    timeScale: TIME_SCALE,
  };
}

function figure(observation: ParkObservation, name: string): number {
  return computeParkFigures(observation).figures.find((one) => one.name === name)!.value;
}

describe('park figures', () => {
  test('given a clean park and unpark, when judged, then every safety figure is 0 and the unpark took 24 s times the scale', () => {
    // Act
    const result = computeParkFigures(observe(cleanCycle()));

    // Assess
    const values = Object.fromEntries(result.figures.map((one) => [one.name, one.value]));
    expect(values).toEqual({
      'park.destroyed_without_snapshot': 0,
      'park.duplicate_creates': 0,
      'park.spec_mismatches': 0,
      'park.restore_mismatches': 0,
      'park.orphaned_snapshots': 0,
      'park.snapshots_deleted_early': 0,
      'park.incomplete_cycles': 0,
      'park.skipped_touched': 0,
      'park.unpark_minutes_p95': (24 * TIME_SCALE) / 60,
    });
    expect(result.findings).toEqual([]);
  });

  test('given a destroy before its park snapshot was listed, when judged, then it counts as destroyed without snapshot', () => {
    // Arrange
    const parts = cleanCycle();
    parts.history[1] = { ...parts.history[1]!, at: at(PARK_TICK, 10) } as HistoryEvent;

    // Act
    const result = computeParkFigures(observe(parts));

    // Assess
    expect(result.figures.find((one) => one.name === 'park.destroyed_without_snapshot')!.value).toBe(1);
    expect(result.findings.map((one) => one.figure)).toContain('destroyed-without-snapshot');
  });

  test('given a second POST /v2/droplets from the same park snapshot, when judged, then one duplicate create is counted and the spare droplet is a spec mismatch', () => {
    // Arrange
    const parts = cleanCycle();
    parts.history.push({
      kind: 'droplet-created',
      at: at(UNPARK_TICK, 8),
      dropletId: NEW_ID + 1,
      name: 'pk-db-1',
      imageId: SNAPSHOT_ID,
      tags: ['park-fleet', 'team-data'],
      actionId: 78,
    });
    const withSpare = { ...parts, final: account([...parts.final.droplets, droplet(NEW_ID + 1)], NEW_ID) };

    // Act
    const observation = observe(withSpare);

    // Assess
    expect(figure(observation, 'park.duplicate_creates')).toBe(1);
    expect(figure(observation, 'park.spec_mismatches')).toBe(1);
  });

  test('given an unparked droplet in another size without its reserved IP, when judged, then it is one spec mismatch', () => {
    // Arrange
    const parts = cleanCycle();
    const changed = {
      ...parts,
      final: account([droplet(NEW_ID, { sizeSlug: 's-2vcpu-2gb', imageId: SNAPSHOT_ID })], OLD_ID),
    };

    // Act
    const result = computeParkFigures(observe(changed));

    // Assess
    expect(result.figures.find((one) => one.name === 'park.spec_mismatches')!.value).toBe(1);
    expect(result.findings.find((one) => one.figure === 'spec-mismatch')!.detail).toContain(
      'size "s-1vcpu-2gb" -> "s-2vcpu-2gb"',
    );
  });

  test('given the park snapshot still listed after the droplet runs again under keepSnapshots 0, when judged, then it is an orphan', () => {
    // Arrange
    const parts = cleanCycle();
    parts.history.pop();
    const snapshot = {
      id: SNAPSHOT_ID,
      name: SNAPSHOT_NAME,
      dropletId: OLD_ID,
      createdAt: at(PARK_TICK, 15),
      regionSlug: 'fra1',
      sizeGigabytes: 0.1,
      minDiskSize: 50,
    };
    const left = { ...parts, final: { ...parts.final, snapshots: [snapshot] } };

    // Act
    const observation = observe(left);

    // Assess
    expect(figure(observation, 'park.orphaned_snapshots')).toBe(1);
  });

  test('given a droplet left parked (no restore), when judged, then its cycle is incomplete and the unpark is not measured', () => {
    // Arrange
    const parts = cleanCycle();
    const parked = {
      ...parts,
      items: parts.items.filter((item) => item.type !== 'restore'),
      final: account([], OLD_ID),
    };

    // Act
    const observation = observe(parked);

    // Assess
    expect(figure(observation, 'park.incomplete_cycles')).toBe(1);
    expect(figure(observation, 'park.unpark_minutes_p95')).toBe(0);
  });
});

describe('percentile', () => {
  test('given twenty values, when the 95th percentile is taken, then it is the nineteenth by nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    expect(percentile(values, 0.95)).toBe(19);
    expect(percentile([], 0.95)).toBe(0);
  });
});
