import type { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

export interface LambdaScheduleTargetProps {
  /** A role that may already invoke the function and send to the dead-letter queue. */
  readonly role: iam.IRole;
  readonly input: scheduler.ScheduleTargetInput;
  readonly deadLetterQueue: sqs.IQueue;
  readonly maxEventAge: Duration;
  readonly retryAttempts: number;
}

/**
 * A schedule target that invokes one Lambda function with a role granted once, by the caller.
 * `aws-scheduler-targets.LambdaInvoke` would grant `lambda:InvokeFunction` on the function and on
 * `<function>:*` (every version and alias) to each role it is given; the schedules only ever invoke
 * the unqualified function, so the wider grant is not needed.
 */
export class LambdaScheduleTarget implements scheduler.IScheduleTarget {
  constructor(
    private readonly fn: lambda.IFunction,
    private readonly props: LambdaScheduleTargetProps,
  ) {}

  bind(): scheduler.ScheduleTargetConfig {
    return {
      arn: this.fn.functionArn,
      role: this.props.role,
      input: this.props.input,
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumEventAgeInSeconds: this.props.maxEventAge.toSeconds(),
        maximumRetryAttempts: this.props.retryAttempts,
      },
    };
  }
}
