import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { Policy } from '../../lambdas/core/policy/policy';
import { stepTypeOf } from '../../lambdas/core/use-cases/initiate-work-item';
import { dispatchRun, type DispatchOutcome } from '../../lambdas/core/use-cases/dispatch-run';
import { reconcileActions } from '../../lambdas/core/use-cases/reconcile-actions';
import { formatInZone, formatUtc } from '../format/zoned-time';
import type { LiveLog, TickReason } from './live-log';
import { minuteOf } from './minute-of';
import { openActions } from './open-actions';
import { targetsOverlap, unfinishedActions } from './policy-activity';
import { PolicyTimer } from './policy-timer';
import { QueueWorker } from './queue-worker';
import { settleOpenActions } from './settle-open-actions';

/** How often a `--run-now` policy looks whether the policy before it on the same droplets is done. */
const WAIT_POLL_MS = 500;

/** The default reconcile interval never goes below this, however fast simulated time runs. */
const MIN_INTERVAL_MS = 250;

export interface LocalSchedulerOptions {
  readonly runtime: LocalRuntime;
  /** Every policy of the file; disabled ones are listed and never fire. */
  readonly policies: readonly Policy[];
  readonly log: LiveLog;
  /**
   * Time between reconcile passes, as the deployed reconciler's one-minute schedule.
   * @default 60000 divided by the runtime's time scale, and at least 250
   */
  readonly reconcileIntervalMs?: number;
  /** Fire every enabled policy once at start, at the current minute. */
  readonly runNow?: boolean;
  /**
   * Settle every open action before firing anything, and again before stopping, within this many
   * milliseconds each. For a simulated account, which lives only as long as the process: what it
   * started must be finished while it is there to answer.
   * @default undefined: open actions are left to the reconcile loop (of this run, or the next)
   */
  readonly settleAroundMs?: number;
  /**
   * The clock timers and `--run-now` read.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/**
 * `local`: the scheduler on one machine. A timer per enabled policy fires its ticks in its time
 * zone; each tick is dispatched as the deployed dispatch Lambda would, and its work items are
 * initiated by one in-process worker; a reconcile loop follows open actions and initiates their
 * follow-ups. Ticks are idempotent on (policy, scheduled time) through the ledger, so a restart
 * never starts a tick's actions twice, and its open actions are picked up by the reconcile loop.
 */
export class LocalScheduler {
  private readonly runtime: LocalRuntime;
  private readonly log: LiveLog;
  private readonly now: () => Date;
  private readonly worker: QueueWorker;
  private readonly inFlight = new Set<Promise<unknown>>();
  private timers: PolicyTimer[] = [];

  constructor(private readonly options: LocalSchedulerOptions) {
    this.runtime = options.runtime;
    this.log = options.log;
    this.now = options.now ?? (() => new Date());
    this.worker = new QueueWorker(this.runtime, {
      onOutcome: (item, outcome) => this.log.initiated(item, outcome),
      onFailure: (item, error) =>
        this.log.error(
          `${stepTypeOf(item)} droplet ${item.dropletId}: ${error instanceof Error ? error.message : String(error)}; it stays queued`,
        ),
    });
  }

  /** Runs until `signal` aborts, then finishes what is in flight and resolves. */
  async run(signal: AbortSignal): Promise<void> {
    await this.resume(signal);
    if (signal.aborted) return this.shutdown();
    this.startTimers();
    if (this.options.runNow) this.track(this.runNow(signal));
    const interval =
      this.options.reconcileIntervalMs ?? Math.max(60_000 / this.runtime.timing.timeScale, MIN_INTERVAL_MS);
    while (!signal.aborted) {
      await this.reconcileOnce();
      await sleep(interval, undefined, { signal }).catch(() => undefined);
    }
    await this.shutdown();
  }

  /** The timers' next fire times, for status lines and tests. */
  nextFireTimes(): { policy: string; next?: Date }[] {
    return this.timers.map((timer) => ({ policy: timer.policy.name, next: timer.next }));
  }

  /** Open actions a previous run left are followed before anything new starts. */
  private async resume(signal: AbortSignal): Promise<void> {
    const open = await openActions(this.runtime.ledger);
    if (open.count === 0) return;
    this.log.info(`resuming ${open.count} open action(s) left by a previous run`);
    if (this.options.settleAroundMs === undefined) return;
    const report = await settleOpenActions(this.runtime, {
      timeoutMs: this.options.settleAroundMs,
      signal,
      onOutcome: (item, outcome) => this.log.initiated(item, outcome),
    });
    if (!report.settled)
      this.log.warn(`${report.stillOpen} action(s) still open; the reconcile loop keeps following them`);
  }

  private startTimers(): void {
    for (const policy of this.options.policies) {
      if (!policy.enabled) {
        this.log.info(`${policy.name}: disabled, never fires`);
        continue;
      }
      const timer = new PolicyTimer(
        policy,
        (fired, at) => this.track(this.fire(fired, at, 'schedule')),
        this.now,
      );
      timer.start();
      this.timers.push(timer);
      this.log.info(
        timer.next
          ? `${policy.name}: ${policy.schedule} (${policy.timezone}), next at ${formatInZone(timer.next, policy.timezone)} (${formatUtc(timer.next)})`
          : `${policy.name}: ${policy.schedule} (${policy.timezone}) never fires again`,
      );
    }
  }

  /**
   * Fires every enabled policy once, at the current minute, in file order. A policy whose targets
   * overlap one fired before it waits until that one's actions have settled, since a droplet runs
   * one action at a time (weekend-off, then monday-on, on the same tag). A policy that still has
   * unfinished actions from an earlier tick is not fired again: those are resumed instead.
   */
  private async runNow(signal: AbortSignal): Promise<void> {
    const scheduledTime = minuteOf(this.now());
    const fired: Policy[] = [];
    for (const policy of this.options.policies.filter((candidate) => candidate.enabled)) {
      if (signal.aborted) return;
      const previous = await unfinishedActions(this.runtime, policy.name);
      const earlier = previous.open.find((item) => item.scheduledTime !== scheduledTime.toISOString());
      if (earlier) {
        this.log.info(
          `${policy.name}: ${previous.open.length} action(s) of ${earlier.scheduledTime} still open; resuming them instead of firing again`,
        );
        continue;
      }
      for (const before of fired.filter((candidate) => targetsOverlap(candidate, policy))) {
        await this.waitUntilFinished(before, policy, signal);
      }
      if (signal.aborted) return;
      await this.fire(policy, scheduledTime, 'run-now');
      fired.push(policy);
    }
  }

  private async waitUntilFinished(before: Policy, next: Policy, signal: AbortSignal): Promise<void> {
    let announced = false;
    while (!signal.aborted) {
      const { open, queued } = await unfinishedActions(this.runtime, before.name, { firstOnly: true });
      if (open.length === 0 && queued === 0) return;
      if (!announced) this.log.info(`${next.name} waits for ${before.name} to finish on the same droplets`);
      announced = true;
      await sleep(WAIT_POLL_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  private async fire(policy: Policy, at: Date, reason: TickReason): Promise<DispatchOutcome | undefined> {
    const scheduledTime = at.toISOString();
    try {
      const outcome = await dispatchRun(this.runtime, {
        policy,
        scheduledTime,
        executionId: `local-${reason}-${Date.now()}`,
      });
      this.log.tick(policy.name, scheduledTime, reason, outcome);
      if (outcome.kind === 'queued') this.worker.kick();
      return outcome;
    } catch (error) {
      this.log.tickFailed(policy.name, scheduledTime, error);
      return undefined;
    }
  }

  private async reconcileOnce(): Promise<void> {
    try {
      const report = await reconcileActions(this.runtime);
      if (report.followUpsQueued > 0 || report.claimsResolved > 0 || this.runtime.queue.size > 0)
        this.worker.kick();
    } catch (error) {
      this.log.error(
        `reconcile pass failed: ${error instanceof Error ? error.message : String(error)}; next pass retries`,
      );
    }
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.timers) timer.stop();
    this.log.info('stopping: finishing what is in flight');
    await Promise.allSettled([...this.inFlight]);
    await this.worker.stop();
    if (this.options.settleAroundMs !== undefined) {
      const open = await openActions(this.runtime.ledger);
      if (open.count > 0)
        this.log.info(
          `settling ${open.count} open action(s) while the simulated account is still there (Ctrl-C again leaves them open)`,
        );
      const report = await settleOpenActions(this.runtime, {
        timeoutMs: this.options.settleAroundMs,
        onOutcome: (item, outcome) => this.log.initiated(item, outcome),
      });
      if (!report.settled)
        this.log.warn(`${report.stillOpen} action(s) still open; the next start reconciles them`);
      return;
    }
    const open = await openActions(this.runtime.ledger);
    if (open.count > 0)
      this.log.info(`${open.count} action(s) still open; the next start (or reconcile) follows them`);
  }
}
