import { InMemoryActionLedger } from '../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import type { SchedulerEvent } from '../../../lambdas/core/events/scheduler-event';
import { actionId, describeItem, idOf } from '../../../lambdas/core/ledger/item-id';
import type { LedgerRecord } from '../../../lambdas/core/ledger/ledger-record';
import type { Policy } from '../../../lambdas/core/policy/policy';
import type { ActionLedger } from '../../../lambdas/core/ports/audit-queries';
import type { DropletApi } from '../../../lambdas/core/ports/droplet-api';
import type { EventPublisher } from '../../../lambdas/core/ports/event-publisher';
import type { ActionOwner } from '../../../lambdas/core/ports/ledger-store';
import { Timing } from '../../../lambdas/core/state/timing';
import { eventFor } from '../../../lambdas/core/use-cases/action-events';
import { dispatchRun } from '../../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../../lambdas/core/use-cases/initiate-work-item';
import { reconcileActions } from '../../../lambdas/core/use-cases/reconcile-actions';
import type { UseCaseDependencies } from '../../../lambdas/core/use-cases/use-case-dependencies';
import { makePolicy } from '../make-policy';
import { DigitalOceanModel } from './digitalocean-model';
import {
  Crash,
  DEFAULT_FAULTS,
  Random,
  Scheduler,
  VirtualClock,
  type FaultRates,
  type Process,
  type Step,
} from './scheduler';

/** The protocol's durations in the explorer: production's inequalities, small values. */
export const EXPLORER_DURATIONS = {
  actionLeaseMs: 3_000,
  runLeaseMs: 3_000,
  clientTimeoutMs: 1_500,
  clockSkewMs: 100,
  transitMs: 400,
  indexLagMs: 100,
  effectsGraceMs: 2_000,
} as const;

export const EXPLORER_TIMING = new Timing(EXPLORER_DURATIONS);
const PRODUCTION_TIMING = new Timing();

const TICK = '2026-11-27T02:00:00.000Z';
const NEXT_TICK = '2026-11-27T02:01:00.000Z';

/** What the explorer runs: one situation the protocol must survive. */
export type ScenarioName =
  'one-action' | 'fallback' | 'two-ticks' | 'two-ticks-redelivered' | 'bulk' | 'two-bulk-ticks';

/**
 * A guard removed on purpose, to show that the explorer finds the race it closes:
 * - `no-deadline`: requests carry no abort deadline (a POST held up can go out after its claim ended);
 * - `no-owner-item`: adoption does not write the action's owner item (two claims can adopt one action);
 * - `no-version-check`: writes do not compare the version they read (a stale read wins);
 * - `no-outbox`: a final write keeps no outbox (a crash before its event loses the event);
 * - `no-recorded-exclusion`: a look after a lost answer does not leave out the actions other items
 *   have recorded (the by-droplet index answers nothing);
 * - `no-fence`: an adoption does not fence the other claims that could have sent the action (a late
 *   write of theirs records it too);
 * - `no-bulk-owner`: a fresh bulk POST records its actions without claiming their owners first (a
 *   look of another tick adopts them while they are being recorded, and both ticks record them).
 * - `retry-after-lease`: a claim given back is queued again for its lease end plus the clock skew,
 *   as the first leased protocol did, not for its retry time (two claims that lost their answers,
 *   each waiting for the other's lease, are then redelivered in step with each other forever).
 */
export type Mutation =
  | 'no-deadline'
  | 'no-owner-item'
  | 'no-version-check'
  | 'no-outbox'
  | 'no-recorded-exclusion'
  | 'no-fence'
  | 'no-bulk-owner'
  | 'retry-after-lease';

export interface Exploration {
  readonly seed: number;
  readonly violations: string[];
  readonly steps: readonly Step[];
}

const JUMPS = [10, 300, 1_000, 2_500, 3_500, 6_000];

/**
 * `two-ticks-redelivered`: faults for the first seconds only, then the processes go on without
 * them (interleaved still) for the horizon, and everything must have settled by its end. SQS
 * redelivers each message at its delay (or after the visibility timeout when its consumer died),
 * and a reconcile pass runs every minute, as the schedule fires it.
 */
const LIVE = { faultsForMs: 20_000, horizonMs: 10 * 60_000, visibilityMs: 30_000, maxDeliveries: 40 };

/**
 * Runs one schedule of one scenario, chosen by `seed`: the real use cases, over the in-memory
 * ledger and a model of DigitalOcean, with every await that touches either a crash point. Then
 * lets everything recover without faults (redeliveries, reconcile passes) and checks: no duplicate
 * action, no action without exactly one owner, nothing left open, every owed event published.
 */
export async function explore(
  scenario: ScenarioName,
  seed: number,
  mutation?: Mutation,
): Promise<Exploration> {
  const random = new Random(seed);
  const clock = new VirtualClock(Date.parse(TICK) + 1_000);
  const live = scenario === 'two-ticks-redelivered';
  // Production's durations: SQS delays are whole seconds, so a retry lands inside another claim's
  // lease-plus-skew window only when that window is as wide as production's (seconds, not 100 ms).
  const timing = live ? PRODUCTION_TIMING : EXPLORER_TIMING;
  const faults: FaultRates =
    scenario === 'two-ticks' || live ? { ...DEFAULT_FAULTS, lostAnswer: 0.5 } : DEFAULT_FAULTS;
  const scheduler = new Scheduler(random, clock, faults, JUMPS);
  const started = clock.now;
  if (live) scheduler.faultsEndAt(started + LIVE.faultsForMs);
  const model = new DigitalOceanModel(scheduler, clock, {
    durationMs: 2_000,
    transitMs: timing.transitMs,
    ineffectiveShutdown: scenario === 'fallback' ? 1 : 0,
    ignoreDeadlines: mutation === 'no-deadline',
  });
  const store = mutate(new InMemoryActionLedger({ now: () => clock.now }), mutation);
  const queued: InitiateWorkItem[] = [];
  const published: SchedulerEvent[] = [];
  const depsFor = (process: Process): UseCaseDependencies => ({
    ...withoutBulkOwners(model.apiFor(process), gatedLedger(store, scheduler, process), mutation),
    queue: {
      send: (items, options) =>
        scheduler.gate(process, 'queue send', 'write', async () => {
          if (!live) return void queued.push(...structuredClone(items));
          for (const item of structuredClone(items))
            deliver(item, clock.now + (await delayOf(item, options?.delaySeconds ?? 0)) * 1_000);
        }),
    },
    events: gatedPublisher(published, scheduler, process),
    now: () => clock.date(),
    timing,
  });
  const spawn = (name: string, body: (deps: UseCaseDependencies, process: Process) => Promise<unknown>) => {
    const process: Process = { name, dead: false };
    return body(depsFor(process), process).catch((error: unknown) => {
      // A process that dies, or meets an error it does not handle, just stops; SQS or the next pass carries on.
      if (!(error instanceof Crash)) return undefined;
      return undefined;
    });
  };

  /** The delay a message is sent with; under `retry-after-lease`, the first protocol's delay. */
  const delayOf = async (work: InitiateWorkItem, delaySeconds: number): Promise<number> => {
    if (mutation !== 'retry-after-lease') return delaySeconds;
    const item = await store.get(actionId(work.policy, work.scheduledTime, work.dropletId, work.step));
    if (item?.status !== 'pending' || item.leaseUntil === undefined) return delaySeconds;
    const claimable = Date.parse(item.leaseUntil) + timing.clockSkewMs + 1;
    return Math.min(900, Math.max(0, Math.ceil((claimable - clock.now) / 1_000)));
  };
  // SQS as the redelivered scenario sees it: a message runs at its delay, and runs again after the
  // visibility timeout when its consumer did not finish; deliveries past the bound are dropped.
  let deliveriesLeft = LIVE.maxDeliveries;
  let overflowed = false;
  const deliver = (work: InitiateWorkItem, at: number): void => {
    if (deliveriesLeft <= 0) return void (overflowed = true);
    deliveriesLeft -= 1;
    let done = false;
    scheduler.spawn(
      spawn(`redelivery-${LIVE.maxDeliveries - deliveriesLeft}`, async (deps, process) => {
        await scheduler.gate(process, 'message visible', 'sleep', async () => undefined, at);
        await initiateAction(deps, work);
        done = true;
      }).then(() => {
        if (!done) deliver(work, clock.now + LIVE.visibilityMs);
      }),
    );
  };

  const { policies, deliveries } = setUp(scenario, model);
  const processes: Promise<unknown>[] = [];
  for (const [index, work] of deliveries.entries()) {
    if (live) deliver(work, started);
    else processes.push(spawn(`delivery-${index + 1}`, (deps) => initiateAction(deps, work)));
  }
  const ticks = scenario === 'two-bulk-ticks' ? [TICK, NEXT_TICK] : [TICK];
  for (const policy of policies.filter((candidate) => 'tag' in candidate.targets)) {
    if (scenario === 'two-bulk-ticks') {
      // One held dispatcher per tick, the second claiming while the first still holds its run:
      // each may hold its bulk POST past its deadline (never sent), send it late, or lose it.
      for (const [index, scheduledTime] of ticks.entries())
        processes.push(
          spawn(`held-dispatch-${index + 1}`, async (deps, process) => {
            if (index > 0) await scheduler.gate(process, 'next tick', 'sleep', async () => undefined);
            return dispatchRun(holding(deps, scheduler, process), { policy, scheduledTime });
          }),
        );
      continue;
    }
    for (const index of [1, 2])
      processes.push(
        spawn(`dispatch-${index}`, (deps) => dispatchRun(deps, { policy, scheduledTime: TICK })),
      );
  }
  // Two reconcilers, as when a pass runs long into the next minute's: they race for the same items.
  // A bulk tick reads before its POST (its overrides, the skip-tag lists), so under faults it fails
  // and is taken up again by a reconciler more often: more passes keep its bulk actions, and their
  // final writes, inside the faulty part of the schedule.
  const passes = scenario === 'bulk' ? 5 : scenario === 'two-bulk-ticks' ? 8 : 3;
  // The redelivered scenario: one pass a minute, each its own invocation (a crash ends that pass).
  for (let minute = 1; live && minute * 60_000 <= LIVE.horizonMs; minute += 1) {
    processes.push(
      spawn(`reconcile-pass-${minute}`, async (deps, process) => {
        await scheduler.gate(
          process,
          'schedule fires',
          'sleep',
          async () => undefined,
          started + minute * 60_000,
        );
        await reconcileActions(deps);
      }),
    );
  }
  for (const name of live ? [] : ['reconciler-1', 'reconciler-2']) {
    processes.push(
      spawn(name, async (deps, process) => {
        for (let pass = 0; pass < passes; pass += 1) {
          // Held runs are taken over only once their leases end: passes a second or so apart.
          if (scenario === 'two-bulk-ticks')
            await scheduler.gate(process, 'next pass', 'sleep', async () => undefined, clock.now + 700);
          await reconcileActions(deps);
        }
      }),
    );
  }
  const maxSteps = live ? 20_000 : 5_000;
  const finished = await scheduler.run(processes, maxSteps);
  const violations: string[] = finished
    ? []
    : [`the processes did not finish within ${maxSteps.toLocaleString('en-US')} steps`];
  if (overflowed)
    violations.push(
      `not live: over ${LIVE.maxDeliveries} deliveries of two work items, the claims still handing the droplet to each other`,
    );
  if (live) violations.push(...(await settledByThemselves(store)));

  // Recovery: no more faults; SQS redelivers what crashed, the reconciler runs every minute.
  scheduler.calm();
  const calm = depsFor({ name: 'recovery', dead: false });
  queued.push(...deliveries);
  for (let round = 0; round < 30; round += 1) {
    clock.now += 10_000;
    for (const work of queued.splice(0)) await initiateAction(calm, work).catch(() => queued.push(work));
    for (const policy of policies.filter((candidate) => 'tag' in candidate.targets)) {
      for (const scheduledTime of ticks)
        await dispatchRun(calm, { policy, scheduledTime }).catch(() => undefined);
    }
    await reconcileActions(calm);
    const open = await store.findOpenDue('9999-01-01T00:00:00.000Z', { limit: 10 });
    if (open.items.length === 0 && queued.length === 0) break;
  }
  violations.push(...(await verdict(store, model, policies, published, queued)));
  if (scenario === 'two-bulk-ticks')
    violations.push(...(await everyTickActed(store, policies, ticks, [1, 2])));
  return { seed, violations, steps: scheduler.steps };
}

/**
 * Liveness: once the faults stopped, redeliveries and the reconciler's passes alone settled every
 * item before the horizon, well inside the items' own windows. Items that keep handing the droplet
 * to each other (each waiting for the other's lease) would still be open here.
 */
async function settledByThemselves(store: ActionLedger): Promise<string[]> {
  const open = await store.findOpenDue('9999-01-01T00:00:00.000Z', { limit: 10 });
  const minutes = (LIVE.horizonMs - LIVE.faultsForMs) / 60_000;
  return open.items.map(
    (item) =>
      `not live: ${describeItem(idOf(item))} still ${item.status} ${minutes.toFixed(1)} min after the faults stopped`,
  );
}

/**
 * A dispatcher whose bulk POST the rate limiter holds (the chaos harness's held dispatcher): for a
 * while within its deadline, or past it (the client then never sends it), before it is sent.
 */
function holding(deps: UseCaseDependencies, scheduler: Scheduler, process: Process): UseCaseDependencies {
  const api = deps.api;
  const holdMs = scheduler.random.pick([0, 1_500, 2_600, 4_000]);
  return {
    ...deps,
    api: new Proxy(api, {
      get: (target, property) =>
        property === 'initiateByTag'
          ? async (...args: Parameters<typeof api.initiateByTag>) => {
              await scheduler.gate(
                process,
                'held by the rate limiter',
                'sleep',
                async () => undefined,
                scheduler.clock.now + holdMs,
              );
              return target.initiateByTag(...args);
            }
          : target[property as keyof typeof target],
    }),
  };
}

function setUp(
  scenario: ScenarioName,
  model: DigitalOceanModel,
): { policies: Policy[]; deliveries: InitiateWorkItem[] } {
  const work = (
    policy: string,
    scheduledTime: string,
    dropletId: number,
    type: 'reboot' | 'shutdown',
    fallback?: 'power_off',
  ): InitiateWorkItem => ({
    policy,
    scheduledTime,
    dropletId,
    action: { type } as InitiateWorkItem['action'],
    timeoutMinutes: 5,
    ...(fallback
      ? {
          workflow: {
            steps: [
              { type, timeoutMinutes: 5 },
              { type: fallback, timeoutMinutes: 5, afterFailure: true, unlessDroplet: 'off' as const },
            ],
          },
        }
      : {}),
    skipWhenAlreadyInState: type === 'shutdown',
    retryUntil: '2026-11-27T02:30:00.000Z',
  });
  switch (scenario) {
    case 'one-action':
      model.addDroplet(1);
      return {
        policies: [makePolicy({ name: 'one', targets: { dropletIds: [1] }, action: { type: 'reboot' } })],
        deliveries: [work('one', TICK, 1, 'reboot'), work('one', TICK, 1, 'reboot')],
      };
    case 'fallback':
      model.addDroplet(1);
      return {
        policies: [
          makePolicy({
            name: 'off',
            targets: { dropletIds: [1] },
            action: { type: 'shutdown' },
            fallback: 'power_off',
          }),
        ],
        deliveries: [
          work('off', TICK, 1, 'shutdown', 'power_off'),
          work('off', TICK, 1, 'shutdown', 'power_off'),
        ],
      };
    case 'two-ticks':
    case 'two-ticks-redelivered':
      model.addDroplet(1);
      return {
        policies: [makePolicy({ name: 'overlap', targets: { dropletIds: [1] }, action: { type: 'reboot' } })],
        deliveries: [work('overlap', TICK, 1, 'reboot'), work('overlap', NEXT_TICK, 1, 'reboot')],
      };
    case 'two-bulk-ticks':
    case 'bulk':
      for (const id of [1, 2]) model.addDroplet(id, ['web']);
      return {
        policies: [makePolicy({ name: 'bulk-off', targets: { tag: 'web' }, action: { type: 'power_off' } })],
        deliveries: [],
      };
  }
}

/** Who starts actions besides our processes: the harness's setup, DigitalOcean itself (a create), a person. */
const OUTSIDE_SENDERS = new Set(['harness', 'digitalocean', 'hand']);

/**
 * What must hold once everything has recovered: no duplicate action, no action without exactly one
 * owner, nothing left open or queued, every owed event published (and none that is not owed).
 */
export async function verdict(
  store: ActionLedger,
  model: DigitalOceanModel,
  policies: readonly Policy[],
  published: readonly SchedulerEvent[],
  queued: readonly InitiateWorkItem[],
): Promise<string[]> {
  const violations: string[] = [];
  const items: LedgerRecord[] = [];
  for (const policy of policies)
    items.push(...(await store.queryByPolicy(policy.name, { limit: 1000 })).items);
  const actionItems = items.filter((item) => item.kind === 'action');
  const owners = new Map<number, string[]>();
  for (const item of actionItems) {
    if (item.actionId === undefined) continue;
    owners.set(item.actionId, [...(owners.get(item.actionId) ?? []), describeItem(idOf(item))]);
  }
  for (const [actionId, holders] of owners) {
    if (holders.length > 1)
      violations.push(`action ${actionId} is recorded by ${holders.length} items: ${holders.join('; ')}`);
  }
  const ours = model.actions.filter((candidate) => !OUTSIDE_SENDERS.has(candidate.sentBy));
  for (const action of ours) {
    if (!owners.has(action.id))
      violations.push(
        `lost: ${action.type} action ${action.id} on droplet ${action.dropletId} (sent by ${action.sentBy}) has no ledger item`,
      );
  }
  const byType = new Map<string, number>();
  for (const action of ours) byType.set(action.type, (byType.get(action.type) ?? 0) + 1);
  for (const [type, count] of byType) {
    const wanted = actionItems.filter((item) => item.type === type).length;
    if (count > wanted) violations.push(`duplicate: ${count} ${type} actions for ${wanted} ledger items`);
  }
  for (const item of items) {
    if (item.dueAt !== undefined)
      violations.push(
        `left open: ${describeItem(idOf(item))} is ${item.status}${item.outbox ? ` with effects ${item.outbox.join(', ')} undone` : ''}`,
      );
  }
  if (queued.length > 0) violations.push(`left queued: ${queued.length} work item(s)`);
  const publishedIds = new Set(
    published.map((event) => ('eventId' in event.detail ? event.detail.eventId : '')),
  );
  const owed = new Set<string>();
  for (const item of items) {
    const event = eventFor(item);
    if (event) owed.add(event.detail.eventId);
  }
  for (const eventId of owed)
    if (!publishedIds.has(eventId)) violations.push(`event never published: ${eventId}`);
  for (const eventId of publishedIds)
    if (!owed.has(eventId))
      violations.push(`event published for a status the item does not have: ${eventId}`);
  return violations;
}

/**
 * Each tick dealt with each droplet: one of its items recorded an action there, or why not (a
 * power_off on a droplet already off is skipped). Another tick's look must not take a tick's
 * actions as its own and leave the tick with nothing done on the droplet.
 */
async function everyTickActed(
  store: ActionLedger,
  policies: readonly Policy[],
  ticks: readonly string[],
  dropletIds: readonly number[],
): Promise<string[]> {
  const violations: string[] = [];
  for (const policy of policies) {
    const items = (await store.queryByPolicy(policy.name, { limit: 1000 })).items;
    for (const tick of ticks)
      for (const dropletId of dropletIds)
        if (
          !items.some(
            (item) => item.kind === 'action' && item.scheduledTime === tick && item.dropletId === dropletId,
          )
        )
          violations.push(`${policy.name}'s tick ${tick} has no item for droplet ${dropletId}`);
  }
  return violations;
}

/** Events as one process publishes them: each publish a write gate, kept in `published` once let go. */
export function gatedPublisher(
  published: SchedulerEvent[],
  scheduler: Scheduler,
  process: Process,
): EventPublisher {
  return {
    publish: (events) =>
      scheduler.gate(
        process,
        'publish',
        'write',
        async () => void published.push(...structuredClone(events)),
      ),
  };
}

/** The ledger as one process sees it: every call a gate (reads, and writes that can crash before or after). */
export function gatedLedger(store: ActionLedger, scheduler: Scheduler, process: Process): ActionLedger {
  const read = <T>(label: string, run: () => Promise<T>) => scheduler.gate(process, label, 'read', run);
  const write = <T>(label: string, run: () => Promise<T>) => scheduler.gate(process, label, 'write', run);
  return {
    get: (id) => read(`get ${describeItem(id)}`, () => store.get(id)),
    create: (record) =>
      write(`create ${describeItem(idOf(record))} ${record.status}`, () => store.create(record)),
    put: (record, version) =>
      write(`put ${describeItem(idOf(record))} ${record.status} v${record.version}`, () =>
        store.put(record, version),
      ),
    claimActionOwner: (owner) => write(`owner of ${owner.actionId}`, () => store.claimActionOwner(owner)),
    findOpenDue: (now, options) => read('find open', () => store.findOpenDue(now, options)),
    queryByDroplet: (dropletId, options) =>
      read(`by droplet ${dropletId}`, () => store.queryByDroplet(dropletId, options)),
    queryByPolicy: (policy, options) =>
      read(`by policy ${policy}`, () => store.queryByPolicy(policy, options)),
    queryByStatus: (status, options) =>
      read(`by status ${status}`, () => store.queryByStatus(status, options)),
    queryOverrides: (policy, options) =>
      read(`overrides of ${policy}`, () => store.queryOverrides(policy, options)),
    queryLineages: (options) => read('lineages', () => store.queryLineages(options)),
  };
}

/**
 * `no-bulk-owner`: the owner claims a process makes for the actions its own bulk POST answered
 * succeed without being stored, as if it recorded them straight from the answer.
 */
function withoutBulkOwners(
  api: DropletApi,
  ledger: ActionLedger,
  mutation: Mutation | undefined,
): { api: DropletApi; ledger: ActionLedger } {
  if (mutation !== 'no-bulk-owner') return { api, ledger };
  const sent = new Set<number>();
  return {
    api: new Proxy(api, {
      get: (target, property) =>
        property === 'initiateByTag'
          ? async (...args: Parameters<DropletApi['initiateByTag']>) => {
              const started = await target.initiateByTag(...args);
              for (const action of started) sent.add(action.id);
              return started;
            }
          : target[property as keyof DropletApi],
    }),
    ledger: withOverrides(ledger, {
      claimActionOwner: async (owner: ActionOwner) =>
        sent.has(owner.actionId) ? owner : ledger.claimActionOwner(owner),
    }),
  };
}

/** The store with one of its guarantees removed (see `Mutation`). */
function mutate(store: ActionLedger, mutation: Mutation | undefined): ActionLedger {
  switch (mutation) {
    case 'no-owner-item':
      return withOverrides(store, { claimActionOwner: async (owner: ActionOwner) => owner });
    case 'no-fence':
      return withOverrides(store, {
        put: async (record: LedgerRecord, version: number) => {
          const current = await store.get(idOf(record));
          const unchanged =
            current &&
            JSON.stringify({ ...current, version: 0, updatedAt: '' }) ===
              JSON.stringify({ ...record, version: 0, updatedAt: '' });
          return unchanged ? { written: true, item: record } : store.put(record, version);
        },
      });
    case 'no-recorded-exclusion':
      return withOverrides(store, { queryByDroplet: async () => ({ items: [] }) });
    case 'no-version-check':
      return withOverrides(store, {
        put: async (record: LedgerRecord) => {
          const current = await store.get(idOf(record));
          return current === undefined ? { written: false, current } : store.put(record, current.version);
        },
      });
    case 'no-outbox':
      return withOverrides(store, {
        put: async (record: LedgerRecord, version: number) => {
          const result = await store.put(withoutOutbox(record), version);
          return result.written ? { written: true, item: record } : result;
        },
        create: async (record: LedgerRecord) => {
          const result = await store.create(withoutOutbox(record));
          return result.created
            ? { created: true, item: { ...record, expiresAt: result.item.expiresAt } }
            : result;
        },
      });
    default:
      return store;
  }
}

/** A final item as it would be stored without an outbox: effects only in the writer's memory. */
function withoutOutbox(record: LedgerRecord): LedgerRecord {
  if (!record.outbox) return record;
  const { outbox: _outbox, dueAt: _dueAt, ...rest } = record;
  return rest as LedgerRecord;
}

/** The store with some of its methods replaced (a mutation's way to remove a guarantee). */
export function withOverrides(store: ActionLedger, overrides: Partial<ActionLedger>): ActionLedger {
  return {
    get: (id) => store.get(id),
    create: (record) => store.create(record),
    put: (record, version) => store.put(record, version),
    claimActionOwner: (owner) => store.claimActionOwner(owner),
    findOpenDue: (now, options) => store.findOpenDue(now, options),
    queryByDroplet: (dropletId, options) => store.queryByDroplet(dropletId, options),
    queryByPolicy: (policy, options) => store.queryByPolicy(policy, options),
    queryByStatus: (status, options) => store.queryByStatus(status, options),
    queryOverrides: (policy, options) => store.queryOverrides(policy, options),
    queryLineages: (options) => store.queryLineages(options),
    ...overrides,
  };
}
