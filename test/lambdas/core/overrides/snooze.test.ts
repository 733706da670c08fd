import { DynamoDbActionLedger } from '../../../../lambdas/adapters/dynamodb/dynamodb-action-ledger';
import { ensureLedgerTable } from '../../../../lambdas/adapters/dynamodb/ensure-ledger-table';
import { actionId, runId } from '../../../../lambdas/core/ledger/item-id';
import { formatOverrideId } from '../../../../lambdas/core/ledger/override-record';
import {
  cancelOverride,
  createOverride,
  listOverrides,
} from '../../../../lambdas/core/overrides/manage-overrides';
import type { ActionLedger } from '../../../../lambdas/core/ports/audit-queries';
import type { Policy } from '../../../../lambdas/core/policy/policy';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { readAudit } from '../../../../lambdas/core/use-cases/read-audit';
import { startDynalite, type RunningDynalite } from '../../../support/dynalite';
import { makePolicy } from '../../../support/make-policy';
import { startLocalHarness, type LocalHarness } from '../../../support/local-harness';

const POST_ONE = 'POST /v2/droplets/{droplet_id}/actions';
const POST_BULK = 'POST /v2/droplets/actions';
const UNTIL = '2026-11-27T22:00:00.000Z';
const TICKS = ['2026-11-27T20:00:00.000Z', '2026-11-27T21:00:00.000Z', UNTIL, '2026-11-27T23:00:00.000Z'];

let dynalite: RunningDynalite;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
});

afterAll(async () => {
  await dynalite.close();
});

/** The two ledgers a snooze must work on: the local runtime's own, and the production adapter. */
const LEDGERS: [string, () => Promise<ActionLedger | undefined>][] = [
  ['the local runtime (dynalite)', async () => undefined],
  [
    'the DynamoDB adapter (DynamoDbActionLedger on dynalite)',
    async () => {
      tables += 1;
      const tableName = `snooze-${tables}`;
      await ensureLedgerTable(dynalite.client, tableName);
      return new DynamoDbActionLedger({ client: dynalite.client, tableName });
    },
  ],
];

async function tick(harness: LocalHarness, policy: Policy, scheduledTime: string) {
  const outcome = await dispatchRun(harness.runtime, { policy, scheduledTime });
  expect(await harness.runtime.drain({ timeoutMs: 30_000 })).toBe(0);
  return outcome;
}

describe.each(LEDGERS)('snooze, through %s and the simulator over HTTP', (_, openLedger) => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it('given a snoozed policy, records its ticks before until skipped with the override, then acts again from the tick at until', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0, ledger: await openLedger() });
    for (const n of [1, 2, 3]) harness.simulator.addDroplet({ name: `staging-${n}`, tags: ['staging'] });
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { tag: 'staging' },
      action: { type: 'power_off' },
      timezone: 'Europe/Berlin',
    });
    const override = await createOverride(harness.runtime, {
      policy: 'weekend-off',
      key: 'k3x9q2',
      until: UNTIL,
      reason: 'release tonight',
    });
    // Act
    const outcomes = [];
    for (const scheduledTime of TICKS.slice(0, 3)) outcomes.push(await tick(harness, policy, scheduledTime));
    // Assess
    const reason = `snoozed until 2026-11-27 23:00 (Europe/Berlin) by override weekend-off:k3x9q2: "release tonight"`;
    expect(outcomes).toEqual([
      { kind: 'skipped', reason },
      { kind: 'skipped', reason },
      { kind: 'bulk', started: 3 },
    ]);
    expect(harness.simulator.requestCounts()[POST_BULK]).toBe(1);
    expect(await harness.runtime.ledger.get(runId('weekend-off', TICKS[0]!))).toMatchObject({
      status: 'skipped',
      reason,
    });
    const audit = await readAudit(harness.runtime.ledger, {
      policy: 'weekend-off',
      from: '2026-11-27T00:00:00Z',
      to: '2026-11-28T00:00:00Z',
      limit: 100,
      includeDeletions: false,
    });
    const overrideRow = audit.entries.find((entry) => entry.record.kind === 'override');
    expect(overrideRow).toMatchObject({ skippedByOverride: 2, overrideState: 'expired' });
    expect(formatOverrideId(override)).toBe('weekend-off:k3x9q2');
  });

  it('given one snoozed droplet of a bulk tag, starts the others one by one and that one again once until has passed', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0, ledger: await openLedger() });
    const [kept, ...others] = [1, 2, 3].map((n) =>
      harness.simulator.addDroplet({ name: `staging-${n}`, tags: ['staging'] }),
    );
    const policy = makePolicy({
      name: 'weekend-off',
      targets: { tag: 'staging' },
      action: { type: 'power_on' },
    });
    await createOverride(harness.runtime, {
      policy: 'weekend-off',
      key: 'drop01',
      dropletId: kept!.id,
      until: UNTIL,
    });
    for (const droplet of [kept!, ...others])
      await harness.runtime.api.initiate(droplet.id, { type: 'power_off' });
    harness.simulator.advance(60_000);
    // Act
    const first = await tick(harness, policy, TICKS[0]!);
    // The first tick's power_ons end before the droplets are turned off again (else: a pending event).
    harness.simulator.advance(60_000);
    for (const droplet of others) await harness.runtime.api.initiate(droplet.id, { type: 'power_off' });
    harness.simulator.advance(60_000);
    const later = await tick(harness, policy, TICKS[2]!);
    // Assess
    expect(first).toEqual({ kind: 'queued', targets: 2, skipped: 1 });
    expect(later).toEqual({ kind: 'bulk', started: 3 });
    expect(await harness.runtime.ledger.get(actionId('weekend-off', TICKS[0]!, kept!.id))).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('by override weekend-off:drop01'),
    });
    const powerOns = harness.simulator.state().actions.filter((action) => action.type === 'power_on');
    expect(powerOns.filter((action) => action.dropletId === kept!.id)).toHaveLength(1);
    expect(harness.simulator.requestCounts()[POST_ONE]).toBe(2 + 3 + 2);
  });

  it('given a snooze cancelled before its until, acts from the next tick, and lists it cancelled', async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0, ledger: await openLedger() });
    const droplet = harness.simulator.addDroplet({ name: 'db-1' });
    const policy = makePolicy({
      name: 'db-reboot',
      targets: { dropletIds: [droplet.id] },
      action: { type: 'reboot' },
    });
    await createOverride(harness.runtime, {
      policy: 'db-reboot',
      key: 'cncl01',
      until: '2099-01-01T00:00:00Z',
    });
    const skipped = await tick(harness, policy, TICKS[0]!);
    // Act
    const cancelled = await cancelOverride(harness.runtime, 'db-reboot', 'cncl01');
    const again = await cancelOverride(harness.runtime, 'db-reboot', 'cncl01');
    const acted = await tick(harness, policy, TICKS[1]!);
    // Assess
    expect(skipped.kind).toBe('skipped');
    expect(cancelled.kind).toBe('cancelled');
    expect(again).toMatchObject({ kind: 'already-over' });
    expect(acted).toEqual({ kind: 'queued', targets: 1 });
    expect(harness.simulator.requestCounts()[POST_ONE]).toBe(1);
    const now = new Date(harness.simulator.now());
    expect(await listOverrides(harness.runtime.ledger, 'db-reboot', { now })).toEqual([]);
    expect(
      (await listOverrides(harness.runtime.ledger, 'db-reboot', { now, all: true })).map((o) => o.status),
    ).toEqual(['cancelled']);
  });
});

describe('overrides and teams, through the local runtime and the simulator over HTTP', () => {
  let harness: LocalHarness;
  afterEach(() => harness?.close());

  it("given two teams' policies each snoozed for one droplet, when both ticks run, then audit --team shows only that team's override and the droplet it skipped", async () => {
    // Prepare
    harness = await startLocalHarness({ droplets: 0 });
    const teams = ['platform', 'web-shop'] as const;
    const policies = teams.map((team) => {
      const droplet = harness.simulator.addDroplet({ name: `${team}-1` });
      const policy = makePolicy({
        name: `${team}-reboot`,
        team,
        targets: { dropletIds: [droplet.id] },
        action: { type: 'reboot' },
      });
      return { team, droplet, policy };
    });
    for (const { team, droplet, policy } of policies)
      await createOverride(harness.runtime, {
        policy: policy.name,
        team,
        key: 'team01',
        dropletId: droplet.id,
        until: '2099-01-01T00:00:00Z',
      });
    // Act
    for (const { policy } of policies) await tick(harness, policy, TICKS[0]!);
    const audit = await readAudit(harness.runtime.ledger, {
      team: 'web-shop',
      knownPolicies: policies.map(({ policy }) => policy.name),
      // The status index is kept by the time items were written: the simulator's clock.
      from: new Date(harness.simulator.now() - 3_600_000).toISOString(),
      to: new Date(harness.simulator.now() + 3_600_000).toISOString(),
      limit: 100,
      includeDeletions: false,
    });
    // Assess
    const webShop = policies[1]!;
    expect(
      audit.entries.map(({ record }) => [record.kind, record.policy, record.team, record.status]),
    ).toEqual(
      expect.arrayContaining([
        ['override', 'web-shop-reboot', 'web-shop', 'active'],
        ['action', 'web-shop-reboot', 'web-shop', 'skipped'],
      ]),
    );
    expect(audit.entries.every(({ record }) => record.team === 'web-shop')).toBe(true);
    expect(harness.simulator.requestCounts()[POST_ONE]).toBeUndefined();
    expect(
      await harness.runtime.ledger.get(actionId(webShop.policy.name, TICKS[0]!, webShop.droplet.id)),
    ).toMatchObject({
      status: 'skipped',
      team: 'web-shop',
    });
  });
});
