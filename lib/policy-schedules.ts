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
  /** The default unit's dispatch: every policy whose team has no unit of its own. */
  readonly dispatch: lambda.IFunction;
  /**
   * The dispatch function of each team with a unit of its own, by team: its policies' schedules
   * invoke it, through a role of that team's.
   * @default no team units
   */
  readonly teamDispatch?: ReadonlyMap<string, lambda.IFunction>;
  readonly group: scheduler.IScheduleGroup;
  readonly deadLetterQueue: sqs.IQueue;
  /** The synth time, to leave out start dates already past. */
  readonly now: Date;
}

/**
 * One EventBridge schedule per policy, each named after its policy, invoking its unit's dispatch
 * with the policy as input. Every schedule stays here, whichever unit it targets, so that moving
 * a policy to a team of its own changes its target in place: a new logical id would create the
 * schedule under its fixed name before deleting the old one, which Scheduler refuses.
 */
export class PolicySchedules extends Construct {
  /** The role of the default unit's schedules. */
  readonly role: iam.Role;
  /** The role of each team unit's schedules, by team: it may invoke that unit's dispatch only. */
  readonly teamRoles: ReadonlyMap<string, iam.Role>;
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;

  constructor(scope: Construct, id: string, props: PolicySchedulesProps) {
    super(scope, id);
    this.role = createSchedulerRole(this, 'Role', {
      group: props.group,
      target: props.dispatch,
      deadLetterQueue: props.deadLetterQueue,
      description: 'EventBridge Scheduler invokes the dispatch function of droplet-scheduler',
    });
    const teamRoles = new Map<string, iam.Role>();
    for (const [team, dispatch] of props.teamDispatch ?? []) {
      teamRoles.set(
        team,
        createSchedulerRole(this, `Role-${team}`, {
          group: props.group,
          target: dispatch,
          deadLetterQueue: props.deadLetterQueue,
          description: `EventBridge Scheduler invokes the dispatch function of droplet-scheduler, team ${team}`,
        }),
      );
    }
    this.teamRoles = teamRoles;
    const schedules = new Map<string, scheduler.Schedule>();
    for (const policy of props.policies) {
      const team = policy.team === undefined ? undefined : props.teamDispatch?.get(policy.team);
      const target =
        team === undefined
          ? { dispatch: props.dispatch, role: this.role }
          : { dispatch: team, role: teamRoles.get(policy.team!)! };
      schedules.set(policy.name, this.scheduleFor(policy, props, target));
    }
    this.schedules = schedules;
  }

  private scheduleFor(
    policy: Policy,
    props: PolicySchedulesProps,
    target: { readonly dispatch: lambda.IFunction; readonly role: iam.IRole },
  ): scheduler.Schedule {
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
      target: new LambdaScheduleTarget(target.dispatch, {
        role: target.role,
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
