import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import type { SimulatedClock } from '../clock';
import type { ActionOutcome, ActionRecord, DropletRecord, RecordedActionType } from '../model';
import type { ResolvedFaults } from '../options';
import type { Random } from '../random';
import type { SimulatorStore } from '../store';
import { applyEffect } from './action-effects';
import { actionDuration, createDuration, RESOURCE_ACTION_DURATION } from './action-durations';
import { BackupSchedule } from './backup-schedule';
import { DueQueue } from './due-queue';
import { applyResourceEffect, type ResourceAction } from './resource-effects';

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
 * the same as a real one; each action settles once, from a heap ordered by due time. Backups
 * fall due the same way, from a heap of their own.
 */
export class ActionEngine {
  private readonly due = new DueQueue();
  readonly backups: BackupSchedule;

  constructor(
    private readonly store: SimulatorStore,
    private readonly clock: SimulatedClock,
    private readonly random: Random,
    private readonly settings: ActionEngineSettings,
  ) {
    this.backups = new BackupSchedule(store, settings.timeScale);
    // A store read back from a saved state: its running actions keep running to their end.
    for (const action of store.actionList) {
      if (action.status === 'in-progress' && Number.isFinite(action.dueAt))
        this.due.push(action.dueAt, action.id);
    }
  }

  /** Starts an action the rules allowed: the droplet is locked until it settles. */
  start(droplet: DropletRecord, action: DropletAction): ActionRecord {
    return this.begin(droplet, action, actionDuration(action, droplet));
  }

  /**
   * Starts the `create` action of a droplet `POST /v2/droplets` just added: the droplet is `new`
   * and locked until it completes, then `active`.
   */
  startCreate(droplet: DropletRecord, imageSizeGigabytes: number): ActionRecord {
    return this.begin(droplet, { type: 'create' }, createDuration(imageSizeGigabytes));
  }

  /**
   * Starts an action on a reserved IP or a volume that concerns `droplet`. It does not lock the
   * droplet; the effect (assignment, attachment) shows once it completes.
   */
  startResourceAction(
    droplet: DropletRecord,
    action: ResourceAction,
    resourceId: number | null,
  ): ActionRecord {
    const now = this.clock.now();
    const outcome = this.outcome(droplet);
    const dueAt =
      outcome === 'stuck' ? Infinity : now + Math.round(RESOURCE_ACTION_DURATION / this.settings.timeScale);
    const { type, ...params } = action;
    const record = this.record(droplet, type, params, now, dueAt, outcome, {
      resourceType: action.type === 'assign_ip' || action.type === 'unassign_ip' ? 'reserved_ip' : 'volume',
      resourceId,
    });
    if (outcome !== 'stuck') this.due.push(dueAt, record.id);
    return record;
  }

  /**
   * Records an action that errors at once, for a droplet of a bulk request that cannot carry it out
   * (locked, or already in the requested state): the bulk call answers one action per droplet.
   */
  startErrored(droplet: DropletRecord, action: DropletAction): ActionRecord {
    const now = this.clock.now();
    const { type, ...params } = action;
    const record = this.record(droplet, type, params, now, now, 'errored');
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

  /** Settles every action and backup due by now, in time order per kind. */
  settle(): void {
    const now = this.clock.now();
    for (const id of this.due.popDue(now)) {
      const action = this.store.actions.get(id);
      if (!action || action.status !== 'in-progress') continue;
      action.status = action.outcome === 'errored' ? 'errored' : 'completed';
      action.completedAt = action.dueAt;
      const droplet = this.store.droplets.get(action.dropletId);
      if (action.resourceType !== 'droplet') {
        applyResourceEffect(this.store, action, droplet);
        continue;
      }
      if (!droplet) continue;
      droplet.locked = false;
      if (action.type === 'create') {
        this.settleCreate(droplet, action);
      } else if (action.status === 'completed') {
        applyEffect(droplet, { ...action.params, type: action.type } as DropletAction, {
          store: this.store,
          completedAt: action.dueAt,
          shutdownIgnored:
            action.type === 'shutdown' && this.random() < this.settings.faults().ineffectiveShutdownRate,
          backups: this.backups,
        });
      }
    }
    this.backups.settle(now);
  }

  /** How many actions are still waiting to settle (stuck ones excluded). */
  get pending(): number {
    return this.due.size;
  }

  /**
   * A failed create leaves no droplet behind (DigitalOcean cleans it up), so that a retry meets a
   * free name; a completed one is `active`, with backups starting from now when asked for.
   */
  private settleCreate(droplet: DropletRecord, action: ActionRecord): void {
    if (action.status === 'errored') {
      this.store.removeDroplet(droplet.id);
      return;
    }
    droplet.status = 'active';
    if (droplet.backups) this.backups.enable(droplet, action.dueAt);
  }

  private outcome(droplet: DropletRecord): ActionOutcome {
    const faults = this.settings.faults();
    return faults.stuckDropletIds.has(droplet.id) || this.random() < faults.stuckActionRate
      ? 'stuck'
      : faults.erroredDropletIds.has(droplet.id) || this.random() < this.settings.actionErrorRate
        ? 'errored'
        : 'completed';
  }

  private begin(
    droplet: DropletRecord,
    action: DropletAction | { type: 'create' },
    durationMs: number,
  ): ActionRecord {
    const now = this.clock.now();
    const outcome = this.outcome(droplet);
    const dueAt = outcome === 'stuck' ? Infinity : now + Math.round(durationMs / this.settings.timeScale);
    const { type, ...params } = action;
    const record = this.record(droplet, type, params, now, dueAt, outcome);
    droplet.locked = true;
    if (outcome !== 'stuck') this.due.push(dueAt, record.id);
    return record;
  }

  private record(
    droplet: DropletRecord,
    type: ActionRecord['type'] | RecordedActionType,
    params: Record<string, unknown>,
    now: number,
    dueAt: number,
    outcome: ActionOutcome,
    resource: Pick<ActionRecord, 'resourceType' | 'resourceId'> = {
      resourceType: 'droplet',
      resourceId: droplet.id,
    },
  ): ActionRecord {
    const record: ActionRecord = {
      id: this.store.newActionId(),
      type,
      status: 'in-progress',
      startedAt: now,
      completedAt: null,
      dueAt,
      outcome,
      dropletId: droplet.id,
      ...resource,
      regionSlug: droplet.regionSlug,
      params,
    };
    this.store.addAction(record);
    return record;
  }
}
