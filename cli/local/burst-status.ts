import type { LocalRuntime } from '../../lambdas/adapters/local/create-local-runtime';
import type { Policy } from '../../lambdas/core/policy/policy';
import type { ReachabilityWatchdog } from '../api/reachability-watchdog';
import { formatInZone } from '../format/zoned-time';
import { describeWait } from '../progress/describe-wait';
import { QUIET_LIMIT_MS } from '../progress/wait-reporter';
import type { LiveLog } from './live-log';
import { openActions } from './open-actions';

/** How often the status looks while work is open. */
const LOOK_EVERY_MS = 1_000;

/** While a wait goes on, how often to say so again. */
const REPEAT_MS = 15_000;

export interface BurstStatusOptions {
  readonly runtime: LocalRuntime;
  readonly log: LiveLog;
  readonly policies: readonly Policy[];
  /** The timers' next fire times (`LocalScheduler.nextFireTimes`). */
  readonly nextFireTimes: () => readonly { readonly policy: string; readonly next?: Date }[];
  readonly watchdog?: ReachabilityWatchdog;
}

/**
 * Keeps `local`'s live log from going quiet while work is open: after two quiet seconds it says
 * what it waits for (a snapshot in progress, a busy droplet's retry, the rate limit, an outage),
 * again every 15 s, and when a burst has settled it prints one summary line with the next tick in
 * the policy's own time zone. Between bursts, the summary's "next tick" says what it waits for.
 */
export class BurstStatus {
  readonly #options: BurstStatusOptions;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  #lastSaid: number | undefined;
  #lastSeenWrite = 0;
  #looking = false;

  constructor(options: BurstStatusOptions) {
    this.#options = options;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.#look(), LOOK_EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #look(): Promise<void> {
    const { log, runtime } = this.#options;
    const now = Date.now();
    const quietFor = now - log.lastWriteAt;
    // Idle and nothing new in the log: nothing to look up.
    if (
      this.#looking ||
      quietFor < QUIET_LIMIT_MS ||
      (!this.#busy && log.lastWriteAt === this.#lastSeenWrite)
    )
      return;
    this.#looking = true;
    try {
      // New lines in the log are a burst of work, even one too busy to have been quiet before.
      if (log.lastWriteAt !== this.#lastSeenWrite && log.lastWriteAt !== this.#lastSaid) this.#busy = true;
      this.#lastSeenWrite = log.lastWriteAt;
      const open = await openActions(runtime.ledger);
      const busy = open.count > 0 || runtime.queue.size > 0;
      if (busy) {
        this.#busy = true;
        if (
          this.#lastSaid !== undefined &&
          this.#lastSaid > log.lastWriteAt - 1 &&
          now - this.#lastSaid < REPEAT_MS
        )
          return;
        const text = describeWait({ watchdog: this.#options.watchdog, queue: runtime.queue, open, now });
        if (text) {
          log.info(text);
          this.#lastSaid = Date.now();
          this.#lastSeenWrite = log.lastWriteAt;
        }
        return;
      }
      if (!this.#busy) return;
      this.#busy = false;
      this.#lastSaid = undefined;
      const { completed, failed } = log.takeSettled();
      log.info(`all settled (${completed} completed, ${failed} failed); ${this.#nextTick()}`);
      this.#lastSeenWrite = log.lastWriteAt;
    } catch {
      // A status line is worth no error of its own; the next look tries again.
    } finally {
      this.#looking = false;
    }
  }

  #nextTick(): string {
    const upcoming = this.#options
      .nextFireTimes()
      .filter((entry): entry is { policy: string; next: Date } => entry.next !== undefined)
      .sort((a, b) => a.next.getTime() - b.next.getTime())[0];
    if (!upcoming) return 'no tick is scheduled any more';
    const zone = this.#options.policies.find((policy) => policy.name === upcoming.policy)?.timezone ?? 'UTC';
    return `next tick: ${upcoming.policy} at ${formatInZone(upcoming.next, zone)} (${zone})`;
  }
}
