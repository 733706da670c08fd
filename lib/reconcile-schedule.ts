import { Duration, TimeZone } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import { LambdaScheduleTarget } from './lambda-schedule-target';
import { createSchedulerRole } from './scheduler-role';

export interface ReconcileScheduleProps {
  readonly reconcile: lambda.IFunction;
  readonly interval: Duration;
  readonly group: scheduler.IScheduleGroup;
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * The team whose unit this schedule reconciles, named in its descriptions.
   * @default the default unit
   */
  readonly team?: string;
}

/**
 * Runs the reconciler every `interval`, with its own role (it may invoke the reconcile function only).
 * No retries: the next tick comes within the interval and does the same work, so an undelivered
 * tick only goes to the dead-letter queue, where the depth alarm shows that reconciling stalls.
 */
export class ReconcileSchedule extends Construct {
  readonly role: iam.Role;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ReconcileScheduleProps) {
    super(scope, id);
    const minutes = props.interval.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1) {
      throw new ConfigurationError(
        `reconcileInterval: expected a whole number of minutes, at least 1, got: ${props.interval.toHumanString()}`,
      );
    }
    this.role = createSchedulerRole(this, 'Role', {
      group: props.group,
      target: props.reconcile,
      deadLetterQueue: props.deadLetterQueue,
      description: `EventBridge Scheduler invokes the reconcile function of droplet-scheduler${ofTeam(props.team)}`,
    });
    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleGroup: props.group,
      description: `droplet-scheduler: follow open DigitalOcean actions to their outcome${ofTeam(props.team)}`,
      // A rate has no time zone; UTC is written out so that every schedule of the stack names one.
      schedule: scheduler.ScheduleExpression.expression(
        `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        TimeZone.ETC_UTC,
      ),
      timeWindow: scheduler.TimeWindow.off(),
      target: new LambdaScheduleTarget(props.reconcile, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
          executionId: scheduler.ContextAttribute.executionId,
        }),
        deadLetterQueue: props.deadLetterQueue,
        maxEventAge: Duration.minutes(1),
        retryAttempts: 0,
      }),
    });
  }
}

function ofTeam(team: string | undefined): string {
  return team === undefined ? '' : ` (team ${team})`;
}
