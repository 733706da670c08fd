import { Annotations, Duration, TimeZone } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Policy } from '../lambdas/core/policy/policy';
import { LambdaScheduleTarget } from './lambda-schedule-target';
import { createSchedulerRole } from './scheduler-role';

/**
 * How EventBridge Scheduler retries a policy tick it could not deliver (the dispatch function was
 * throttled or Lambda failed to accept the event). A tick is idempotent on its scheduled time, so a
 * retry can never act twice; three attempts within an hour outlast a throttling burst, and a tick
 * older than an hour is stale for power and snapshot schedules alike: it goes to the dead-letter
 * queue for an operator to replay or drop. Left unset, Scheduler would retry 185 times over 24 hours.
 */
export const POLICY_TICK_RETRY = { maxEventAge: Duration.hours(1), retryAttempts: 3 } as const;

export interface PolicySchedulesProps {
  readonly policies: readonly Policy[];
  readonly dispatch: lambda.IFunction;
  readonly group: scheduler.IScheduleGroup;
  readonly deadLetterQueue: sqs.IQueue;
  /** The synth time, to leave out start dates already past. */
  readonly now: Date;
}

/** One EventBridge schedule per policy, each named after its policy, all invoking dispatch with the policy as input. */
export class PolicySchedules extends Construct {
  readonly role: iam.Role;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: PolicySchedulesProps) {
    super(scope, id);
    this.role = createSchedulerRole(this, 'Role', {
      group: props.group,
      target: props.dispatch,
      deadLetterQueue: props.deadLetterQueue,
      description: 'EventBridge Scheduler invokes the dispatch function of droplet-scheduler',
    });
    const schedules = new Map<string, scheduler.Schedule>();
    for (const policy of props.policies) {
      schedules.set(policy.name, this.scheduleFor(policy, props));
    }
    this.schedules = schedules;
  }

  private scheduleFor(policy: Policy, props: PolicySchedulesProps): scheduler.Schedule {
    const window = scheduleWindow(policy, props.now);
    if (window.ended) {
      Annotations.of(this).addWarningV2(
        'droplet-scheduler:policyEnded',
        `policy ${policy.name}: endDate ${policy.endDate} has passed; its schedule is deployed disabled`,
      );
    }
    return new scheduler.Schedule(this, `Policy-${policy.name}`, {
      scheduleName: policy.name,
      scheduleGroup: props.group,
      description: policy.description?.slice(0, 512),
      schedule: scheduler.ScheduleExpression.expression(policy.schedule, TimeZone.of(policy.timezone)),
      enabled: policy.enabled && !window.ended,
      start: window.start,
      end: window.end,
      timeWindow:
        policy.flexibleWindowMinutes === undefined
          ? scheduler.TimeWindow.off()
          : scheduler.TimeWindow.flexible(Duration.minutes(policy.flexibleWindowMinutes)),
      target: new LambdaScheduleTarget(props.dispatch, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({
          policy,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
        }),
        deadLetterQueue: props.deadLetterQueue,
        ...POLICY_TICK_RETRY,
      }),
    });
  }
}

interface ScheduleWindow {
  readonly start?: Date;
  readonly end?: Date;
  readonly ended: boolean;
}

/**
 * EventBridge Scheduler refuses a start or end date more than a few minutes in the past. A start date
 * already past adds nothing (the schedule starts now), so it is left out; an end date already past
 * means the policy is over, so its schedule is deployed disabled, without the date.
 */
export function scheduleWindow(policy: Policy, now: Date): ScheduleWindow {
  const start = policy.startDate === undefined ? undefined : new Date(policy.startDate);
  const end = policy.endDate === undefined ? undefined : new Date(policy.endDate);
  const ended = end !== undefined && end.getTime() <= now.getTime();
  return {
    start: start !== undefined && start.getTime() > now.getTime() ? start : undefined,
    end: ended ? undefined : end,
    ended,
  };
}
