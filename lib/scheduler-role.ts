import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface SchedulerRoleProps {
  readonly group: scheduler.IScheduleGroup;
  /** The only function the role may invoke. */
  readonly target: lambda.IFunction;
  /** The only queue the role may send to. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly description: string;
}

/**
 * The role EventBridge Scheduler assumes to deliver a tick: it may invoke one function (the
 * unqualified ARN, no versions or aliases) and send to one dead-letter queue, and only schedules of
 * this stack's group, in this account, may assume it (confused-deputy protection).
 */
export function createSchedulerRole(scope: Construct, id: string, props: SchedulerRoleProps): iam.Role {
  const role = new iam.Role(scope, id, {
    description: props.description,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Stack.of(scope).account,
          'aws:SourceArn': props.group.scheduleGroupArn,
        },
      },
    }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.target.functionArn] }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
  );
  return role;
}
