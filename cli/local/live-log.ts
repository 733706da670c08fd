import { DETAIL_TYPES, type SchedulerEvent } from '../../lambdas/core/events/scheduler-event';
import type { InitiateOutcome } from '../../lambdas/core/use-cases/initiate-action';
import type { InitiateWorkItem } from '../../lambdas/core/use-cases/initiate-work-item';
import { stepTypeOf } from '../../lambdas/core/use-cases/initiate-work-item';
import { isOperation } from '../../lambdas/core/workflow/workflow';
import type { DispatchOutcome } from '../../lambdas/core/use-cases/dispatch-run';
import type { Output } from '../output';

/** Why a tick fired: its schedule, `--run-now`, or a tick a previous run left for the reconciler. */
export type TickReason = 'schedule' | 'run-now';

/**
 * The live log of `local`: one line per tick, per action started or refused, and per action
 * settled, each stamped with the local wall-clock time and coloured by outcome on a TTY.
 */
export class LiveLog {
  /** When the log last wrote a line (epoch ms), so that a quiet spell can be told apart. */
  lastWriteAt = Date.now();
  /** Actions and deletions that ended since `takeSettled` was last called, by outcome. */
  #settled = { completed: 0, failed: 0, started: 0 };

  constructor(
    private readonly output: Output,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  info(text: string): void {
    this.write(this.output.colors.dim('info  '), text);
  }

  warn(text: string): void {
    this.write(this.output.colors.yellow('warn  '), text);
  }

  error(text: string): void {
    this.write(this.output.colors.red('error '), text);
  }

  tick(policy: string, scheduledTime: string, reason: TickReason, outcome: DispatchOutcome): void {
    const { colors } = this.output;
    const head = `${colors.bold(policy)} @ ${scheduledTime}${reason === 'run-now' ? ' (run-now)' : ''}`;
    switch (outcome.kind) {
      case 'skipped':
        this.write(colors.dim('tick  '), `${head}: skipped, ${outcome.reason}`);
        return;
      case 'duplicate':
        this.write(
          colors.dim('tick  '),
          `${head}: already dispatched (run ${outcome.status}), nothing new started`,
        );
        return;
      case 'queued':
        this.write(
          colors.cyan('tick  '),
          `${head}: ${outcome.targets} droplet(s) queued${outcome.skipped ? `, ${outcome.skipped} left alone (skip tag or snooze)` : ''}`,
        );
        return;
      case 'bulk':
        this.write(
          colors.cyan('tick  '),
          `${head}: ${outcome.started} action(s) started in one request by tag`,
        );
        return;
    }
  }

  tickFailed(policy: string, scheduledTime: string, error: unknown): void {
    this.error(`${policy} @ ${scheduledTime}: dispatch failed: ${messageOf(error)}`);
  }

  initiated(item: InitiateWorkItem, outcome: InitiateOutcome): void {
    const { colors } = this.output;
    const what = `${stepTypeOf(item)} ${droplet(item.dropletId, item.dropletName)} (${item.policy})`;
    switch (outcome.kind) {
      case 'started':
      case 'adopted':
        this.#settled.started += 1;
        this.write(
          colors.green('start '),
          `${what}: action ${outcome.actionId}${outcome.kind === 'adopted' ? ' (adopted)' : ''}`,
        );
        return;
      case 'done':
        this.write(colors.green('done  '), `${what}: ${outcome.result}`);
        return;
      case 'skipped':
        this.write(colors.dim('skip  '), `${what}: ${outcome.reason}`);
        return;
      case 'rejected':
        this.write(colors.red('reject'), `${what}: DigitalOcean refused: ${outcome.message}`);
        return;
      case 'retrying':
        this.write(colors.yellow('retry '), `${what}: ${outcome.reason}, again in ${outcome.delaySeconds} s`);
        return;
      case 'duplicate':
        return;
    }
  }

  event(event: SchedulerEvent): void {
    const { colors } = this.output;
    if (event.detailType === DETAIL_TYPES.snapshotDeleted) {
      const { detail } = event;
      this.write(
        colors.dim('prune '),
        `snapshot ${detail.snapshotName} of ${droplet(detail.dropletId)} deleted (${detail.reason})`,
      );
      return;
    }
    const { detail } = event;
    // A refusal is logged once, by `initiated` as DigitalOcean answered it; its event says the same.
    if (detail.status === 'rejected') {
      this.#settled.failed += 1;
      return;
    }
    // A skip is logged by `initiated` with its reason; it is neither a success nor a failure.
    if (detail.status === 'skipped') return;
    // A parking step's completion is logged by `initiated`, with what it found or did.
    if (detail.status === 'completed' && isOperation(detail.type)) {
      this.#settled.completed += 1;
      return;
    }
    const what = `${detail.type} ${droplet(detail.dropletId, detail.dropletName ?? undefined)} (${detail.policy})`;
    const took = detail.durationSeconds === null ? '' : ` in ${detail.durationSeconds} s`;
    if (detail.status === 'completed') {
      this.#settled.completed += 1;
      this.write(colors.green('done  '), `${what}: completed${took}`);
    } else {
      this.#settled.failed += 1;
      this.write(
        colors.red('fail  '),
        `${what}: ${detail.status}${detail.error ? `: ${detail.error.message}` : ''}`,
      );
    }
  }

  /** What started and ended since the last call, and starts counting afresh. */
  takeSettled(): { readonly started: number; readonly completed: number; readonly failed: number } {
    const settled = this.#settled;
    this.#settled = { completed: 0, failed: 0, started: 0 };
    return settled;
  }

  private write(label: string, text: string): void {
    this.lastWriteAt = Date.now();
    const time = this.clock().toLocaleTimeString('en-GB', { hour12: false });
    this.output.line(`${this.output.colors.dim(time)} ${label} ${text}`);
  }
}

function droplet(id: number, name?: string): string {
  return `droplet ${id}${name ? ` (${name})` : ''}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
