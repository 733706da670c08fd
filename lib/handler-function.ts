import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_BUNDLING, handlerEntry, isBundlingStubbed, type HandlerName } from './handler-bundling';

export interface HandlerFunctionProps {
  readonly handler: HandlerName;
  /** What the handler does, for the console. */
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  /** Absent: the function shares the account's unreserved concurrency. */
  readonly reservedConcurrentExecutions?: number;
  /** Where a failed asynchronous invocation goes (after `retryAttempts: 0`). */
  readonly onFailure?: lambda.IDestination;
}

/**
 * One handler's Lambda function with its own role and log group. The role starts empty (no managed
 * policy): it may write to this function's log group only, and the construct adds exactly the other
 * statements the handler needs.
 */
export class HandlerFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are diagnostics with a retention; the ledger table is the audit trail and is retained.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `The ${props.handler} function of droplet-scheduler`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // `logGroupArn` ends in `:*`: log streams are created at run time under this one group.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const stub = isBundlingStubbed(this);
    this.function = new lambdaNodejs.NodejsFunction(this, 'Function', {
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // Scheduler (dispatch, reconcile) and SQS (initiate) own the retries; an async retry here would
      // repeat a tick a second way, outside the schedule's retry policy.
      retryAttempts: 0,
      onFailure: props.onFailure,
      ...(stub
        ? {
            code: lambda.Code.fromInline('export const handler = async () => undefined;'),
            handler: 'index.handler',
          }
        : { entry: handlerEntry(props.handler), handler: 'handler', bundling: HANDLER_BUNDLING }),
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the handlers are built and tested for (esbuild target node22, the design pins it); moving to a newer runtime is a deliberate, tested change, not a drift.',
    });
  }
}
