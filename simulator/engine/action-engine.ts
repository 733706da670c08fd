import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import type { SimulatedClock } from '../clock';
import type { ActionOutcome, ActionRecord, DropletRecord } from '../model';
import type { ResolvedFaults } from '../options';
import type { Random } from '../random';
import type { SimulatorStore } from '../store';
import { applyEffect } from './action-effects';
import { actionDuration } from './action-durations';
import { DueQueue } from './due-queue';

export interface ActionEngineSettings {
  readonly actionErrorRate: number;
  /** Actions take 1/timeScale of their real-world duration. */
  readonly timeScale: number;
  /** Read on every start, so that faults changed at run time apply to the next action. */
  readonly faults: () => ResolvedFaults;
}

/**
 * Starts actions and settles them on the simulator's clock, each after its real-world duration
 * divided by `timeScale`. Settling is lazy: every request (and
 * every admin read) first settles what is due by now, so no timers run and a manual clock works
 * the same as a real one; each action settles once, from a heap ordered by due time.
 */
export class ActionEngine {
  private readonly due = new DueQueue();

  constructor(
    private readonly store: SimulatorStore,
    private readonly clock: SimulatedClock,
    private readonly random: Random,
    private readonly settings: ActionEngineSettings,
  ) {}

  /** Starts an action the rules allowed: the droplet is locked until it settles. */
  start(droplet: DropletRecord, action: DropletAction): ActionRecord {
    const now = this.clock.now();
    const faults = this.settings.faults();
    const outcome: ActionOutcome =
      faults.stuckDropletIds.has(droplet.id) || this.random() < faults.stuckActionRate
        ? 'stuck'
        : faults.erroredDropletIds.has(droplet.id) || this.random() < this.settings.actionErrorRate
          ? 'errored'
          : 'completed';
    const dueAt =
      outcome === 'stuck'
        ? Infinity
        : now + Math.round(actionDuration(action, droplet) / this.settings.timeScale);
    const record = this.record(droplet, action, now, dueAt, outcome);
    droplet.locked = true;
    if (outcome !== 'stuck') this.due.push(dueAt, record.id);
    return record;
  }

  /**
   * Records an action that errors at once, for a droplet of a bulk request that cannot carry it out
   * (locked, or already in the requested state): the bulk call answers one action per droplet.
   */
  startErrored(droplet: DropletRecord, action: DropletAction): ActionRecord {
    const now = this.clock.now();
    const record = this.record(droplet, action, now, now, 'errored');
    record.status = 'errored';
    record.completedAt = now;
    return record;
  }

  /**
   * A hard `power_off` cuts a graceful `shutdown` short, as pulling the plug would: DigitalOcean
   * advises exactly this sequence for a shutdown that does not finish. The shutdown ends
   * `errored` and the droplet is free for the power_off. Anything else running keeps its lock.
   */
  interruptShutdown(droplet: DropletRecord): void {
    const running = (this.store.actionsByDroplet.get(droplet.id) ?? []).filter(
      (action) => action.status === 'in-progress',
    );
    if (running.length === 0 || running.some((action) => action.type !== 'shutdown')) return;
    const now = this.clock.now();
    for (const action of running) {
      action.status = 'errored';
      action.outcome = 'errored';
      action.completedAt = now;
      action.dueAt = now;
    }
    droplet.locked = false;
  }

  /** Settles every action due by now. */
  settle(): void {
    const now = this.clock.now();
    for (const id of this.due.popDue(now)) {
      const action = this.store.actions.get(id);
      if (!action || action.status !== 'in-progress') continue;
      const droplet = this.store.droplets.get(action.dropletId);
      action.status = action.outcome === 'errored' ? 'errored' : 'completed';
      action.completedAt = action.dueAt;
      if (!droplet) continue;
      droplet.locked = false;
      if (action.status === 'completed') {
        applyEffect(droplet, { ...action.params, type: action.type } as DropletAction, {
          store: this.store,
          completedAt: action.dueAt,
          shutdownIgnored:
            action.type === 'shutdown' && this.random() < this.settings.faults().ineffectiveShutdownRate,
        });
      }
    }
  }

  /** How many actions are still waiting to settle (stuck ones excluded). */
  get pending(): number {
    return this.due.size;
  }

  private record(
    droplet: DropletRecord,
    action: DropletAction,
    now: number,
    dueAt: number,
    outcome: ActionOutcome,
  ): ActionRecord {
    const { type, ...params } = action;
    const record: ActionRecord = {
      id: this.store.newActionId(),
      type,
      status: 'in-progress',
      startedAt: now,
      completedAt: null,
      dueAt,
      outcome,
      dropletId: droplet.id,
      regionSlug: droplet.regionSlug,
      params,
    };
    this.store.addAction(record);
    return record;
  }
}
