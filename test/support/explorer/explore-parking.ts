import { InMemoryActionLedger } from '../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import type { SchedulerEvent } from '../../../lambdas/core/events/scheduler-event';
import type { ActionRecord } from '../../../lambdas/core/ledger/action-record';
import {
  actionId,
  describeItem,
  idOf,
  lineageAliasId,
  lineageId,
  type ItemId,
} from '../../../lambdas/core/ledger/item-id';
import type { LedgerItem, LedgerRecord } from '../../../lambdas/core/ledger/ledger-record';
import type { LineageRecord, WorkflowRef } from '../../../lambdas/core/ledger/lineage-record';
import { parkSnapshotName } from '../../../lambdas/core/parking/park-snapshot-name';
import type { Policy } from '../../../lambdas/core/policy/policy';
import type { ActionLedger } from '../../../lambdas/core/ports/audit-queries';
import { Timing } from '../../../lambdas/core/state/timing';
import { buildWorkItem, stepFields } from '../../../lambdas/core/use-cases/build-work-item';
import { initiateAction } from '../../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../../lambdas/core/use-cases/initiate-work-item';
import { reconcileActions } from '../../../lambdas/core/use-cases/reconcile-actions';
import type { UseCaseDependencies } from '../../../lambdas/core/use-cases/use-case-dependencies';
import { workflowOf } from '../../../lambdas/core/workflow/workflow-of';
import { applyEvent } from '../ledger-items';
import { makePolicy } from '../make-policy';
import { DigitalOceanModel, type ModelRequest } from './digitalocean-model';
import {
  EXPLORER_DURATIONS,
  gatedLedger,
  gatedPublisher,
  verdict,
  withOverrides,
  type Exploration,
} from './explore';
import { DEFAULT_FAULTS, Random, Scheduler, VirtualClock, type FaultRates, type Process } from './scheduler';

/**
 * The explorer's durations for parking: the action scenarios' leases and margins, with
 * DigitalOcean's side 15 times faster. A step's timeout then weighs against a lease as in
 * production (30 minutes against 45 s there, 120 s against 3 s here), and a park's or an unpark's
 * waits (seconds to minutes) fall inside one explored schedule. Leases are never scaled.
 */
export const PARKING_TIMING = new Timing({ ...EXPLORER_DURATIONS, timeScale: 15 });

const PARK_TICK = '2026-11-27T20:00:00.000Z';
const UNPARK_TICK = '2026-11-28T07:00:00.000Z';
/** A second unpark of the same lineage: `run nightly-unpark --at …07:01Z` beside the schedule's. */
const SECOND_UNPARK_TICK = '2026-11-28T07:01:00.000Z';
const DROPLET = 1;
const PARK_POLICY = 'nightly-park';
const UNPARK_POLICY = 'nightly-unpark';
/** The park workflow's steps, as `parkingWorkflow` lays them out. */
const SNAPSHOT_STEP = 3;
const CONFIRM_STEP = 4;

/** A parking situation the irreversible steps must survive. */
export type ParkingScenario = 'park' | 'park-by-hand' | 'unpark' | 'two-unparks';

/**
 * A guard of a parking step removed on purpose, without touching the engine: the guard's read is
 * made to answer what lets it pass.
 * - `no-snapshot-recheck`: the destroy's fresh `GET /v2/snapshots/{id}` answers the snapshot as it
 *   was when first listed;
 * - `no-confirm-step-check`: the destroy reads this park's confirm-snapshot step as completed (a
 *   second line behind the fresh look: alone, its removal lets nothing through that the explorer
 *   finds, in 2,000 seeds of park-by-hand);
 * - `no-name-lookup`: `GET /v2/droplets?name=` finds nothing, so every create POSTs;
 * - `no-deadline`: requests carry no abort deadline (a create held up past its claim still lands);
 * - `no-reservation`: the lineage's `reserve-create` is not a compare-and-set: an unpark that read
 *   the lineage `parked` takes it, whoever took it since;
 * - `no-takeover-check`: an unpark reads the create step of the unpark holding the lineage as
 *   finished, and takes the lineage over.
 */
export type ParkingMutation =
  | 'no-snapshot-recheck'
  | 'no-confirm-step-check'
  | 'no-name-lookup'
  | 'no-deadline'
  | 'no-reservation'
  | 'no-takeover-check';

const JUMPS = [10, 300, 1_000, 2_500, 3_500, 6_000];

/**
 * Parking faults: the action scenarios' crashes, lost answers and clock jumps; fewer 5xx and 429
 * on reads, which the real client retries by itself (a parking step makes a dozen reads, and each
 * one surfacing would mostly explore steps that time out).
 */
const PARKING_FAULTS: FaultRates = { ...DEFAULT_FAULTS, serverError: 0.02, rateLimited: 0.02 };
/** Chance that a create's or a DELETE's connection drops while the request is still on its way. */
const IN_FLIGHT_LOSS = 0.05;

/** Chance that SQS hands a message to a second worker too (at-least-once delivery). */
const DUPLICATE_DELIVERY = 0.3;

interface Message {
  readonly work: InitiateWorkItem;
  visibleAt: number;
}

interface Setting {
  readonly policies: Policy[];
  readonly deliveries: { readonly name: string; readonly work: InitiateWorkItem }[];
  readonly hand: boolean;
}

/**
 * Runs one schedule of one parking scenario, chosen by `seed`: the real use cases (deliveries of a
 * step, SQS workers running the steps that follow, a reconciler) over the in-memory ledger and the
 * model of DigitalOcean, with every await that touches either a crash point and lost answers on
 * every request. Then lets everything recover without faults, and checks the irreversible steps
 * against everything DigitalOcean received (`model.history`) and the ledger's final state.
 */
export async function exploreParking(
  scenario: ParkingScenario,
  seed: number,
  mutation?: ParkingMutation,
): Promise<Exploration> {
  const random = new Random(seed);
  const start = Date.parse(scenario.startsWith('park') ? PARK_TICK : UNPARK_TICK) + 1_000;
  const clock = new VirtualClock(start);
  const scheduler = new Scheduler(random, clock, PARKING_FAULTS, JUMPS);
  const model = new DigitalOceanModel(scheduler, clock, {
    durationMs: 2_000,
    createMs: 1_500,
    transitMs: PARKING_TIMING.transitMs,
    inFlightLoss: IN_FLIGHT_LOSS,
    ignoreDeadlines: mutation === 'no-deadline',
    blindNameFilter: mutation === 'no-name-lookup',
    staleSnapshotReads: mutation === 'no-snapshot-recheck',
  });
  const store = new InMemoryActionLedger({ now: () => clock.now });
  const ledger = mutate(store, mutation);
  const queue: Message[] = [];
  /** Wakes the SQS poller when a message is sent (or the reconcile timer ticks). */
  let wake: () => void = () => undefined;
  const published: SchedulerEvent[] = [];
  const depsFor = (process: Process): UseCaseDependencies => ({
    api: model.apiFor(process),
    ledger: gatedLedger(ledger, scheduler, process),
    queue: {
      send: (items, options) =>
        scheduler.gate(process, 'queue send', 'write', async () => {
          const visibleAt = clock.now + (options?.delaySeconds ?? 0) * 1000;
          for (const work of structuredClone(items)) queue.push({ work, visibleAt });
          wake();
        }),
    },
    events: gatedPublisher(published, scheduler, process),
    now: () => clock.date(),
    timing: PARKING_TIMING,
  });
  /** An event source's wait (a timer, a long poll): it goes on once the clock has reached `until`. */
  const sleep = <T>(source: Process, until: number, then: () => T) =>
    scheduler.gate(source, `${source.name} waits`, 'sleep', async () => then(), until);
  /** One Lambda invocation: a process of its own, which a crash ends without stopping its source. */
  const invoke = (name: string, body: (deps: UseCaseDependencies) => Promise<unknown>) =>
    body(depsFor({ name, dead: false }));
  const spawn = (name: string, body: (deps: UseCaseDependencies) => Promise<unknown>) =>
    // A process that dies, or meets an error it does not handle, just stops; SQS or the next pass carries on.
    invoke(name, body).catch(() => undefined);

  const setting = await setUp(scenario, model, store, clock);
  const processes: Promise<unknown>[] = [];
  for (const { name, work } of setting.deliveries)
    processes.push(spawn(name, (deps) => initiateAction(deps, work)));
  let delivered = false;
  void Promise.allSettled(processes).then(() => {
    delivered = true;
  });
  // The event sources go on until nothing is left to do (a bound keeps them finite).
  const quiet = async () =>
    delivered &&
    queue.length === 0 &&
    (await store.findOpenDue('9999-01-01T00:00:00.000Z', { limit: 1 })).items.length === 0;
  let stopped = false;
  const woken = () => new Promise<void>((resolve) => (wake = resolve));
  const invocations: Promise<unknown>[] = [];
  // EventBridge: a reconcile pass every 4 s (to a 3 s lease what production's minute is to its
  // 45 s), each a new invocation, overlapping the one before when that one runs long.
  const timer: Process = { name: 'reconcile timer', dead: false };
  processes.push(
    (async () => {
      for (let pass = 1; pass <= 30 && !(await quiet()); pass += 1) {
        await sleep(timer, clock.now + 4_000, () => undefined);
        invocations.push(spawn(`reconciler#${pass}`, (deps) => reconcileActions(deps)));
        wake();
      }
      stopped = true;
      wake();
    })(),
  );
  // SQS: the steps that follow arrive as messages, each in an invocation of its own, now and then
  // twice (two invocations of one step at once).
  const poller: Process = { name: 'sqs', dead: false };
  processes.push(
    (async () => {
      for (let round = 1; round <= 80 && !stopped; round += 1) {
        if (queue.length === 0) {
          await woken();
          continue;
        }
        const message = await sleep(poller, firstVisible(queue), () => receive(queue, clock.now, random));
        if (message === undefined) continue;
        invocations.push(
          invoke(`worker#${round}`, (deps) => initiateAction(deps, message.work)).catch(() => {
            // The handler failed or died: the message comes back once its visibility timeout ends.
            queue.push({ work: message.work, visibleAt: clock.now + 5_000 });
            wake();
          }),
        );
      }
      while (invocations.length > 0) await Promise.allSettled(invocations.splice(0));
    })(),
  );
  if (setting.hand) processes.push(hand(model, scheduler).catch(() => undefined));
  const finished = await scheduler.run(processes, 8_000);
  const violations: string[] = finished ? [] : ['the processes did not finish within 8,000 steps'];

  // Recovery: no more faults; SQS redelivers what is left, the reconciler runs every minute.
  scheduler.calm();
  const calm = depsFor({ name: 'recovery', dead: false });
  for (const { work } of setting.deliveries) queue.push({ work, visibleAt: clock.now });
  for (let round = 0; round < 60; round += 1) {
    clock.now += 5_000;
    for (const message of queue.splice(0)) {
      await initiateAction(calm, message.work).catch(() => queue.push(message));
    }
    await reconcileActions(calm);
    const open = await store.findOpenDue('9999-01-01T00:00:00.000Z', { limit: 10 });
    if (open.items.length === 0 && queue.length === 0) break;
  }
  violations.push(
    ...(await verdict(
      store,
      model,
      setting.policies,
      published,
      queue.map((message) => message.work),
    )),
  );
  violations.push(
    ...(scenario.startsWith('park')
      ? await parkVerdict(store, model, setting.hand)
      : await unparkVerdict(store, model, scenario)),
  );
  return { seed, violations, steps: scheduler.steps };
}

/** When the next message becomes visible (SQS's delay, or a failed handler's visibility timeout). */
function firstVisible(queue: readonly Message[]): number {
  return Math.min(...queue.map((message) => message.visibleAt));
}

/** One visible message, taken (or, now and then, also left for another worker: a duplicate). */
function receive(queue: Message[], now: number, random: Random): Message | undefined {
  const visible = queue.filter((message) => message.visibleAt <= now);
  if (visible.length === 0) return undefined;
  const message = random.pick(visible);
  if (!random.chance(DUPLICATE_DELIVERY)) queue.splice(queue.indexOf(message), 1);
  return { ...message };
}

/**
 * A person at the console while the park runs: once the park's snapshot exists, at some moment
 * the scheduler picks, deletes it or powers the droplet back on (one of the two, chosen by the seed).
 */
async function hand(model: DigitalOceanModel, scheduler: Scheduler): Promise<void> {
  const process: Process = { name: 'hand', dead: false };
  const deletes = scheduler.random.chance(0.5);
  const name = parkSnapshotName(PARK_POLICY, DROPLET, PARK_TICK);
  for (let look = 0; look < 80; look += 1) {
    const acted = await scheduler.gate(process, 'hand looks', 'sleep', async () => {
      const snapshot = model.snapshotsNow().find((candidate) => candidate.name === name);
      if (snapshot === undefined || !scheduler.random.chance(0.2)) return false;
      if (deletes) model.handDeletesSnapshot(snapshot.id);
      else model.handPowersOn(DROPLET);
      return true;
    });
    if (acted) return;
  }
}

function parkingPolicies(): { park: Policy; unpark: Policy } {
  const options = {
    parkPolicy: PARK_POLICY,
    allowIpChange: true,
    allowBackupLoss: false,
    keepSnapshots: 0,
  };
  return {
    park: makePolicy({
      name: PARK_POLICY,
      targets: { dropletIds: [DROPLET] },
      action: { type: 'shutdown' },
      timeoutMinutes: 360,
      parking: { role: 'park', ...options },
      skipWhenAlreadyInState: false,
    }),
    unpark: makePolicy({
      name: UNPARK_POLICY,
      targets: { dropletIds: [DROPLET] },
      action: { type: 'power_on' },
      timeoutMinutes: 60,
      parking: { role: 'unpark', ...options },
      skipWhenAlreadyInState: false,
    }),
  };
}

async function setUp(
  scenario: ParkingScenario,
  model: DigitalOceanModel,
  store: ActionLedger,
  clock: VirtualClock,
): Promise<Setting> {
  const { park, unpark } = parkingPolicies();
  const deps = { timing: PARKING_TIMING, now: () => clock.date() };
  if (scenario === 'park' || scenario === 'park-by-hand') {
    // Shut down already (the park's first steps, which the action scenarios explore): its snapshot is next.
    model.addDroplet(DROPLET, ['db'], 'off');
    // A small disk: the reconciler's first look at the snapshot comes after a minute of DigitalOcean's time.
    const target = { id: DROPLET, name: `droplet-${DROPLET}`, regionSlug: 'fra1', diskGb: 1 };
    const workflow = workflowOf(park, target, PARK_TICK);
    const step = SNAPSHOT_STEP;
    const { operation: _inspect, ...first } = buildWorkItem(deps, park, PARK_TICK, target);
    const work: InitiateWorkItem = {
      ...first,
      ...stepFields(workflow, step),
      skipWhenAlreadyInState: false,
      retryUntil: PARKING_TIMING.afterDo(clock.now, (workflow.steps[step]?.timeoutMinutes ?? 60) * 60_000),
    };
    return {
      policies: [park],
      deliveries: [
        { name: 'delivery-1', work },
        { name: 'delivery-2', work },
      ],
      hand: scenario === 'park-by-hand',
    };
  }
  // Parked last night: the lineage, its alias and the park snapshot; the droplet is gone.
  const snapshot = model.addSnapshot({
    name: parkSnapshotName(PARK_POLICY, DROPLET, PARK_TICK),
    dropletId: DROPLET,
    sizeGigabytes: 8,
    createdAt: Date.parse(PARK_TICK) + 600_000,
  });
  const holder: WorkflowRef = { policy: PARK_POLICY, scheduledTime: PARK_TICK, dropletId: DROPLET };
  const options = { now: new Date(Date.parse(PARK_TICK) + 900_000), timing: PARKING_TIMING };
  await applyEvent(
    store,
    lineageId(DROPLET),
    {
      type: 'park-recorded',
      init: {
        kind: 'lineage',
        policy: PARK_POLICY,
        scheduledTime: PARK_TICK,
        lineageId: DROPLET,
        dropletId: DROPLET,
        spec: {
          name: `droplet-${DROPLET}`,
          region: 'fra1',
          size: 's-1vcpu-1gb',
          tags: ['db'],
          ipv6: false,
          monitoring: false,
          backups: false,
          volumeIds: [],
          firewallIds: [],
          priceHourly: 0.00893,
          priceMonthly: 6,
        },
        snapshot: { id: snapshot.id, name: snapshot.name, sizeGb: snapshot.sizeGigabytes },
        holder,
      },
    },
    options,
  );
  await applyEvent(
    store,
    lineageAliasId(DROPLET),
    {
      type: 'alias',
      init: {
        kind: 'lineage-alias',
        policy: PARK_POLICY,
        scheduledTime: PARK_TICK,
        dropletId: DROPLET,
        lineageId: DROPLET,
      },
    },
    options,
  );
  await applyEvent(
    store,
    lineageId(DROPLET),
    {
      type: 'destroyed',
      holder,
      dropletId: DROPLET,
      at: new Date(Date.parse(PARK_TICK) + 960_000).toISOString(),
    },
    options,
  );
  const target = { id: DROPLET, lineageId: DROPLET, name: `droplet-${DROPLET}`, regionSlug: 'fra1' };
  const first = buildWorkItem(deps, unpark, UNPARK_TICK, target);
  if (scenario === 'unpark') {
    return {
      policies: [unpark],
      deliveries: [
        { name: 'delivery-1', work: first },
        { name: 'delivery-2', work: first },
      ],
      hand: false,
    };
  }
  // The schedule's unpark near the end of its window (it has been retrying for most of an hour),
  // so that it may time out and the other take over; and a `run --at` of the next minute.
  const late = { ...first, retryUntil: PARKING_TIMING.after(clock.now, 20_000) };
  return {
    policies: [unpark],
    deliveries: [
      { name: 'schedule', work: late },
      { name: 'run-at', work: buildWorkItem(deps, unpark, SECOND_UNPARK_TICK, target) },
    ],
    hand: false,
  };
}

/**
 * The park's promises, over what DigitalOcean received: the droplet is destroyed at most once,
 * and only while this park's snapshot is listed with a size and the droplet is off (a person's
 * change after the destroy's last look is the one window no API closes, and is named as such);
 * a destroyed droplet's lineage ends `parked` with that snapshot; the snapshot is never deleted.
 */
async function parkVerdict(
  store: ActionLedger,
  model: DigitalOceanModel,
  withHand: boolean,
): Promise<string[]> {
  const violations: string[] = [];
  const name = parkSnapshotName(PARK_POLICY, DROPLET, PARK_TICK);
  const history = model.history;
  const destroys = history.filter(
    (entry) => entry.request.startsWith('DELETE /v2/droplets/') && entry.status === 204,
  );
  if (destroys.some((entry) => entry.request !== `DELETE /v2/droplets/${DROPLET}`))
    violations.push(`destroyed a droplet other than ${DROPLET}: ${describe(destroys)}`);
  if (destroys.length > 1) violations.push(`droplet ${DROPLET} destroyed ${destroys.length} times`);
  const destroy = destroys[0];
  if (destroy !== undefined) {
    const snapshot = destroy.snapshots?.find((candidate) => candidate.name === name);
    const at = history.indexOf(destroy);
    if (!(snapshot && snapshot.sizeGigabytes > 0) && !changedByHandSinceLook(history, at, 'snapshot')) {
      violations.push(
        `destroyed without its snapshot: ${destroy.process} deleted droplet ${DROPLET} at ${iso(destroy.at)} while ${name} was not listed with a size`,
      );
    }
    if (destroy.dropletStatus !== 'off' && !changedByHandSinceLook(history, at, 'power')) {
      violations.push(
        `destroyed running: ${destroy.process} deleted droplet ${DROPLET} at ${iso(destroy.at)} while it was ${destroy.dropletStatus}`,
      );
    }
  }
  const lineage = await store.get(lineageId(DROPLET));
  const items = await stepItems(store, PARK_POLICY, PARK_TICK);
  const steps = describeSteps(items);
  const touched = withHand && history.some((entry) => entry.process === 'hand');
  if (destroy !== undefined) {
    if (lineage?.kind !== 'lineage' || lineage.status !== 'parked' || lineage.snapshot.name !== name) {
      violations.push(
        `droplet ${DROPLET} destroyed, but its lineage is ${describeLineage(lineage)} (steps: ${steps})`,
      );
    }
    const alias = await store.get(lineageAliasId(DROPLET));
    if (alias?.kind !== 'lineage-alias' || alias.lineageId !== DROPLET)
      violations.push(`droplet ${DROPLET} destroyed without its alias recorded`);
    if (items.find((item) => item.type === 'destroy')?.status !== 'completed')
      violations.push(
        `droplet ${DROPLET} destroyed, but the destroy step is not completed (steps: ${steps})`,
      );
  } else {
    if (lineage?.kind === 'lineage' && lineage.status === 'parked')
      violations.push(`droplet ${DROPLET} still exists, but its lineage says parked`);
    // Not destroyed: only as a park that failed where anyone can see it (a step timed out or was refused).
    const failed = items.some((item) => ['timed-out', 'rejected', 'errored'].includes(item.status));
    if (!failed && !touched)
      violations.push(`droplet ${DROPLET} never destroyed, and no step of the park failed (steps: ${steps})`);
  }
  const deleted = history.filter(
    (entry) => entry.request.startsWith('DELETE /v2/snapshots/') && entry.status === 204,
  );
  if (deleted.length > 0)
    violations.push(`a park snapshot was deleted during the park: ${describe(deleted)}`);
  return violations;
}

/**
 * The unpark's promises: exactly one droplet created for the lineage, the lineage `active` naming
 * it (and its alias recorded), no orphan; the park snapshot deleted only while a droplet made from
 * it runs, and gone at the end (the policy keeps none).
 */
async function unparkVerdict(
  store: ActionLedger,
  model: DigitalOceanModel,
  scenario: ParkingScenario,
): Promise<string[]> {
  const violations: string[] = [];
  const history = model.history;
  const creates = history.filter((entry) => entry.created !== undefined);
  const ticks = scenario === 'two-unparks' ? [UNPARK_TICK, SECOND_UNPARK_TICK] : [UNPARK_TICK];
  const perTick = await Promise.all(ticks.map((tick) => stepItems(store, UNPARK_POLICY, tick)));
  const steps = perTick.map(describeSteps).join(' | ');
  const lineage = await store.get(lineageId(DROPLET));
  const created = creates.map((entry) => entry.created?.id as number);
  if (creates.length > 1) {
    violations.push(
      `duplicate: ${creates.length} droplets created for lineage ${DROPLET}: ${describe(creates)} (steps: ${steps})`,
    );
  } else if (creates.length === 0) {
    // Nothing created: only as an unpark that failed where anyone can see it.
    const failed = perTick
      .flat()
      .some((item) => item.type === 'create' && ['timed-out', 'rejected'].includes(item.status));
    if (!failed || (lineage?.kind === 'lineage' && lineage.status === 'active'))
      violations.push(`no droplet created, the lineage ${describeLineage(lineage)} (steps: ${steps})`);
  }
  if (
    creates.length > 0 &&
    (lineage?.kind !== 'lineage' || lineage.status !== 'active' || !created.includes(lineage.dropletId))
  ) {
    violations.push(
      `orphan: droplet ${created.join(', ')} created, and lineage ${DROPLET} is ${describeLineage(lineage)} (steps: ${steps})`,
    );
  }
  for (const id of created) {
    const alias = await store.get(lineageAliasId(id));
    if (
      lineage?.kind === 'lineage' &&
      lineage.dropletId === id &&
      (alias?.kind !== 'lineage-alias' || alias.lineageId !== DROPLET)
    )
      violations.push(`droplet ${id} runs for lineage ${DROPLET} without its alias recorded`);
  }
  for (const entry of history) {
    if (!entry.request.startsWith('DELETE /v2/snapshots/') || entry.status !== 204) continue;
    if (!(entry.madeFromIt ?? []).some((droplet) => droplet.status === 'active')) {
      violations.push(
        `park snapshot deleted by ${entry.process} at ${iso(entry.at)} while no droplet made from it was active`,
      );
    }
  }
  if (lineage?.kind === 'lineage' && lineage.status === 'active') {
    // The unpark that created it finishes what it started, or fails where anyone can see it.
    const holder = perTick[ticks.indexOf(lineage.holder.scheduledTime)] ?? [];
    const create = holder.find((item) => item.type === 'create');
    if (create?.status !== 'completed')
      violations.push(
        `lineage ${DROPLET} runs again, but its unpark's create step is ${create?.status ?? 'absent'} (steps: ${steps})`,
      );
    const cleanup = holder.find((item) => item.type === 'delete-snapshot');
    const kept = model.snapshotsNow().length > 0;
    if (kept && cleanup?.status === 'completed')
      violations.push(
        `the park snapshot was kept, though the policy keeps none and delete-snapshot completed (steps: ${steps})`,
      );
    if (
      kept &&
      cleanup === undefined &&
      create?.status === 'completed' &&
      holder.find((item) => item.type === 'restore')?.status === 'completed'
    )
      violations.push(`the park snapshot was kept, and delete-snapshot never ran (steps: ${steps})`);
    if (!kept && lineage.snapshots.length > 0)
      violations.push(`the park snapshot was deleted, but lineage ${DROPLET} still lists it`);
  }
  return violations;
}

/**
 * Whether a person changed what the destroy checks (its snapshot, or the power) after the
 * destroying process last looked at it: the window between a fresh read and the DELETE.
 */
function changedByHandSinceLook(
  history: readonly ModelRequest[],
  at: number,
  what: 'snapshot' | 'power',
): boolean {
  const destroy = history[at] as ModelRequest;
  const look = what === 'snapshot' ? 'GET /v2/snapshots/' : `GET /v2/droplets/${DROPLET}`;
  const change = what === 'snapshot' ? 'hand: DELETE snapshot' : 'hand: power_on';
  let lastLook = -1;
  let lastChange = -1;
  for (let index = 0; index < at; index += 1) {
    const entry = history[index] as ModelRequest;
    if (entry.process === destroy.process && entry.request.startsWith(look)) lastLook = index;
    if (entry.request.startsWith(change)) lastChange = index;
  }
  return lastChange > lastLook && lastLook >= 0;
}

/** The steps of one workflow, in order. */
async function stepItems(store: ActionLedger, policy: string, tick: string): Promise<ActionRecord[]> {
  const items = (await store.queryByPolicy(policy, { limit: 1000 })).items.filter(
    (item): item is ActionRecord => item.kind === 'action' && item.scheduledTime === tick,
  );
  return items.sort((left, right) => (left.step ?? 0) - (right.step ?? 0));
}

function describeSteps(items: readonly ActionRecord[]): string {
  return items
    .map(
      (item) =>
        `${item.step ?? 0} ${item.type} ${item.status}${item.reason ? ` (${item.reason})` : ''}${item.lastError ? ` (${item.lastError.message})` : ''}`,
    )
    .join(', ');
}

function describeLineage(record: LedgerItem | undefined): string {
  if (record?.kind !== 'lineage') return 'absent';
  const lineage = record as LineageRecord;
  return `${lineage.status} on droplet ${lineage.dropletId} (held by ${lineage.holder.policy} ${lineage.holder.scheduledTime}, droplets ${lineage.dropletIds.join(', ')})`;
}

function describe(entries: readonly ModelRequest[]): string {
  return entries.map((entry) => `${entry.request} by ${entry.process} at ${iso(entry.at)}`).join('; ');
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

/** The store with one of the parking guards' reads made to pass (see `ParkingMutation`). */
function mutate(store: ActionLedger, mutation: ParkingMutation | undefined): ActionLedger {
  const confirmStep = actionId(PARK_POLICY, PARK_TICK, DROPLET, CONFIRM_STEP);
  const finished = (record: LedgerItem | undefined, id: ItemId) =>
    ({ ...(record ?? id), status: 'completed' }) as LedgerRecord;
  switch (mutation) {
    case 'no-confirm-step-check':
      return withOverrides(store, {
        get: async (id) => {
          const record = await store.get(id);
          return sameId(id, confirmStep) ? finished(record, id) : record;
        },
      });
    case 'no-takeover-check':
      return withOverrides(store, {
        get: async (id) => {
          const record = await store.get(id);
          const createStep = id.kind === 'action' && id.policy === UNPARK_POLICY && id.step === undefined;
          return createStep ? finished(record, id) : record;
        },
      });
    case 'no-reservation':
      return withOverrides(store, {
        put: async (record, version) => {
          if (record.kind !== 'lineage') return store.put(record, version);
          const current = await store.get(idOf(record));
          return store.put(record, current?.version ?? version);
        },
      });
    default:
      return store;
  }
}

function sameId(left: ItemId, right: ItemId): boolean {
  return describeItem(left) === describeItem(right);
}
