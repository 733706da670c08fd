import type { Figure } from '../../bench/figure';
import type { ActionRecord } from '../../lambdas/core/ledger/action-record';
import type { LedgerRecord } from '../../lambdas/core/ledger/ledger-record';
import type { RunRecord } from '../../lambdas/core/ledger/run-record';
import type { SnapshotDeletionRecord } from '../../lambdas/core/ledger/snapshot-deletion-record';
import {
  computeChaosFigures,
  type ChaosObservation,
  type SimulatedAction,
  type SimulatedSnapshot,
} from '../../scripts/chaos/chaos-figures';

const TICK = '2026-11-27T08:00:00.000Z';
const at = (seconds: number) => Date.parse(TICK) + seconds * 1000;
const iso = (seconds: number) => new Date(at(seconds)).toISOString();

function run(policy: string, status: RunRecord['status'] = 'dispatched'): RunRecord {
  return {
    kind: 'run',
    version: 2,
    attempts: 1,
    policy,
    scheduledTime: TICK,
    type: 'reboot',
    status,
    claimedAt: iso(0),
    updatedAt: iso(1),
    expiresAt: 0,
  };
}

function item(
  policy: string,
  dropletId: number,
  fields: Partial<ActionRecord> & Pick<ActionRecord, 'type'>,
): ActionRecord {
  return {
    kind: 'action',
    version: 3,
    policy,
    scheduledTime: TICK,
    dropletId,
    mode: 'per-droplet',
    status: 'completed',
    attempts: 1,
    claimedAt: iso(0.1),
    updatedAt: iso(5),
    expiresAt: 0,
    ...fields,
  };
}

function deletion(
  dropletId: number,
  snapshot: SimulatedSnapshot,
  deletedAtSeconds: number,
): SnapshotDeletionRecord {
  return {
    kind: 'snapshot-deletion',
    version: 2,
    attempts: 1,
    rule: 'keepLast',
    policy: 'snap',
    scheduledTime: TICK,
    dropletId,
    status: 'completed',
    snapshotId: snapshot.id,
    snapshotName: snapshot.name,
    snapshotCreatedAt: new Date(snapshot.createdAt).toISOString(),
    deletedAt: iso(deletedAtSeconds),
    claimedAt: iso(deletedAtSeconds),
    updatedAt: iso(deletedAtSeconds),
    expiresAt: 0,
  };
}

function simulated(id: number, dropletId: number, type: string, startedSeconds: number): SimulatedAction {
  return { id, dropletId, type, startedAt: at(startedSeconds), status: 'completed' };
}

function observe(overrides: Partial<ChaosObservation>): ChaosObservation {
  return {
    policies: [{ name: 'reboot-ids', type: 'reboot', targets: [1, 2] }],
    expectedTicks: [],
    records: [],
    actions: [],
    seedingActionIds: new Set(),
    snapshotsSeen: [],
    snapshotsAtEnd: [],
    rateLimitedResponses: 0,
    endedAt: at(600),
    ...overrides,
  };
}

function valueOf(figures: readonly Figure[], name: string): number | undefined {
  return figures.find((figure) => figure.name === name)?.value;
}

/** One clean tick: two reboots, each with its own recorded action. */
const cleanTick: LedgerRecord[] = [
  run('reboot-ids'),
  item('reboot-ids', 1, { type: 'reboot', actionId: 101 }),
  item('reboot-ids', 2, { type: 'reboot', actionId: 102 }),
];
const cleanActions = [simulated(101, 1, 'reboot', 0.5), simulated(102, 2, 'reboot', 0.6)];

describe('computeChaosFigures', () => {
  test('given one action per ledger item, when judged, then every goal figure is 0', () => {
    // Act
    const { figures, findings } = computeChaosFigures(
      observe({ records: cleanTick, actions: cleanActions, rateLimitedResponses: 7 }),
    );

    // Assess
    expect(figures.map((figure) => [figure.name, figure.value])).toEqual([
      ['chaos.duplicate_actions', 0],
      ['chaos.lost_actions', 0],
      ['chaos.unsettled_actions', 0],
      ['chaos.wrongly_deleted_snapshots', 0],
      ['chaos.rate_limited_responses', 7],
    ]);
    expect(findings).toEqual([]);
    expect(figures.find((figure) => figure.name === 'chaos.rate_limited_responses')?.goal).toBeUndefined();
  });

  test('given a second unrecorded reboot of a droplet whose item has its action, when judged, then it is one duplicate', () => {
    // Prepare: a retry after a dropped answer started a second reboot that the ledger never saw.
    const actions = [...cleanActions, simulated(103, 1, 'reboot', 2)];

    // Act
    const { figures, findings } = computeChaosFigures(observe({ records: cleanTick, actions }));

    // Assess
    expect(valueOf(figures, 'chaos.duplicate_actions')).toBe(1);
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(0);
    expect(findings).toEqual([
      { figure: 'duplicate', detail: expect.stringContaining('action 103 on droplet 1') },
    ]);
  });

  test('given an action DigitalOcean has and the ledger does not, on a droplet with no recorded one, when judged, then it is lost', () => {
    // Prepare: droplet 2's item was rejected, yet DigitalOcean carried the reboot out.
    const records = [
      run('reboot-ids'),
      item('reboot-ids', 1, { type: 'reboot', actionId: 101 }),
      item('reboot-ids', 2, { type: 'reboot', status: 'rejected' }),
    ];

    // Act
    const { figures, findings } = computeChaosFigures(observe({ records, actions: cleanActions }));

    // Assess
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(1);
    expect(valueOf(figures, 'chaos.duplicate_actions')).toBe(0);
    expect(findings[0]?.detail).toContain('action 102 on droplet 2');
  });

  test('given a dispatched tick with no item for one target, when judged, then that target is lost', () => {
    // Act
    const { figures, findings } = computeChaosFigures(
      observe({ records: cleanTick.slice(0, 2), actions: cleanActions.slice(0, 1) }),
    );

    // Assess
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(1);
    expect(findings).toEqual([{ figure: 'lost', detail: expect.stringContaining('1 target(s): 2') }]);
  });

  test('given a fire time with no run in the ledger, when judged, then every target of that tick is lost', () => {
    // Act
    const { figures, findings } = computeChaosFigures(
      observe({
        records: cleanTick,
        actions: cleanActions,
        expectedTicks: [
          { policy: 'reboot-ids', scheduledTime: TICK },
          { policy: 'reboot-ids', scheduledTime: '2026-11-27T08:02:00.000Z' },
        ],
      }),
    );

    // Assess
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(2);
    expect(findings).toEqual([
      { figure: 'lost', detail: expect.stringContaining('08:02:00.000Z never ran') },
    ]);
  });

  test('given two items recording the same action id, when judged, then one of them is lost', () => {
    // Prepare
    const records = [
      run('reboot-ids'),
      item('reboot-ids', 1, { type: 'reboot', actionId: 101 }),
      item('reboot-ids', 2, { type: 'reboot', actionId: 101 }),
    ];

    // Act
    const { figures } = computeChaosFigures(observe({ records, actions: cleanActions.slice(0, 1) }));

    // Assess
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(1);
  });

  test('given actions the harness started itself and types no policy uses, when judged, then they are ignored', () => {
    // Prepare
    const actions = [...cleanActions, simulated(900, 1, 'reboot', -30), simulated(901, 2, 'rename', 1)];

    // Act
    const { figures } = computeChaosFigures(
      observe({ records: cleanTick, actions, seedingActionIds: new Set([900]) }),
    );

    // Assess
    expect(valueOf(figures, 'chaos.duplicate_actions')).toBe(0);
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(0);
  });

  test('given a bulk item written after its POST, when judged, then its action is matched through the run claimed before it', () => {
    // Prepare: the run is claimed at 0 s, the POST starts the action at 0.2 s, the items are written at 0.5 s.
    const records = [
      { ...run('bulk-off'), type: 'power_off' as const, mode: 'bulk' as const },
      item('bulk-off', 1, { type: 'power_off', mode: 'bulk', actionId: 201, claimedAt: iso(0.5) }),
    ];
    const actions = [simulated(201, 1, 'power_off', 0.2), simulated(202, 1, 'power_off', 0.3)];

    // Act
    const { figures } = computeChaosFigures(
      observe({ policies: [{ name: 'bulk-off', type: 'power_off', targets: [1] }], records, actions }),
    );

    // Assess: the second bulk action is a duplicate of the tick, not an orphan.
    expect(valueOf(figures, 'chaos.duplicate_actions')).toBe(1);
    expect(valueOf(figures, 'chaos.lost_actions')).toBe(0);
  });

  test('given items still pending, in progress, or finished with their event unpublished, when judged, then each is unsettled', () => {
    // Prepare
    const due = iso(60);
    const records = [
      run('reboot-ids'),
      item('reboot-ids', 1, { type: 'reboot', actionId: 101, status: 'in-progress', dueAt: due }),
      item('reboot-ids', 2, { type: 'reboot', status: 'pending', dueAt: due }),
      item('reboot-ids', 3, {
        type: 'reboot',
        actionId: 103,
        status: 'completed',
        outbox: ['event'],
        dueAt: due,
      }),
    ];

    // Act
    const { figures, findings } = computeChaosFigures(
      observe({ records, actions: cleanActions.slice(0, 1) }),
    );

    // Assess
    expect(valueOf(figures, 'chaos.unsettled_actions')).toBe(3);
    expect(findings.map((finding) => finding.detail)).toContainEqual(
      expect.stringContaining('completed with event undone'),
    );
  });

  describe('snapshots', () => {
    const policies = [{ name: 'snap', type: 'snapshot', targets: [7], keepLast: 2 }];
    const own = (id: number, createdSeconds: number): SimulatedSnapshot => ({
      id,
      name: `snap--7-2026112${id}`,
      dropletId: 7,
      createdAt: at(createdSeconds),
    });
    const foreign: SimulatedSnapshot = {
      id: 50,
      name: 'snap--70-20261101',
      dropletId: 7,
      createdAt: at(-100),
    };

    test('given the oldest own snapshot deleted after two newer ones existed, when judged, then nothing was wrongly deleted', () => {
      // Prepare
      const seen = [own(1, -50), own(2, -40), own(3, 10), foreign];

      // Act
      const { figures } = computeChaosFigures(
        observe({
          policies,
          snapshotsSeen: seen,
          snapshotsAtEnd: [own(2, -40), own(3, 10), foreign],
          records: [deletion(7, own(1, -50), 12)],
        }),
      );

      // Assess
      expect(valueOf(figures, 'chaos.wrongly_deleted_snapshots')).toBe(0);
    });

    test('given a foreign snapshot gone and an own one deleted within keepLast, when judged, then both are wrongly deleted', () => {
      // Prepare: own 3 is deleted when only own 4 is newer (keepLast 2); the foreign one vanished.
      const seen = [own(3, 10), own(4, 20), foreign];

      // Act
      const { figures, findings } = computeChaosFigures(
        observe({
          policies,
          snapshotsSeen: seen,
          snapshotsAtEnd: [own(4, 20)],
          records: [deletion(7, own(3, 10), 25)],
        }),
      );

      // Assess
      expect(valueOf(figures, 'chaos.wrongly_deleted_snapshots')).toBe(2);
      expect(findings.map((finding) => finding.detail)).toEqual([
        expect.stringContaining('own snapshot 3'),
        expect.stringContaining('foreign snapshot 50'),
      ]);
    });
  });
});
