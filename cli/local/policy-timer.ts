import type { Policy } from '../../lambdas/core/policy/policy';
import { nextFireTime } from '../../lambdas/core/schedule';

/** setTimeout's longest delay; a later fire time is reached in several hops. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * One policy's schedule on the local clock: sleeps until the next fire time EventBridge would use
 * (its time zone, DST rule, startDate and endDate, from `nextFireTime`), calls `onTick` with that
 * exact instant as the scheduled time, and arms the next one. An `at()` or an ended schedule simply
 * stops. `rate()` counts from when the timer started, as a freshly created EventBridge schedule does.
 */
export class PolicyTimer {
  private timer: NodeJS.Timeout | undefined;
  private upcoming: Date | undefined;
  private readonly createdAt: Date;

  constructor(
    readonly policy: Policy,
    private readonly onTick: (policy: Policy, scheduledTime: Date) => void,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.createdAt = now();
  }

  /** The next fire time, or undefined when the schedule never fires again. */
  get next(): Date | undefined {
    return this.upcoming;
  }

  start(): void {
    this.arm(this.now());
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.upcoming = undefined;
  }

  private arm(from: Date): void {
    this.upcoming = nextFireTime(this.policy.schedule, {
      from,
      timezone: this.policy.timezone,
      startDate: this.policy.startDate ? new Date(this.policy.startDate) : undefined,
      endDate: this.policy.endDate ? new Date(this.policy.endDate) : undefined,
      createdAt: this.createdAt,
    });
    if (this.upcoming) this.wait(this.upcoming);
  }

  private wait(fireAt: Date): void {
    const delay = fireAt.getTime() - this.now().getTime();
    this.timer = setTimeout(
      () => {
        if (this.now().getTime() < fireAt.getTime()) return this.wait(fireAt);
        this.onTick(this.policy, fireAt);
        this.arm(fireAt);
      },
      Math.min(Math.max(delay, 0), MAX_DELAY_MS),
    );
  }
}
