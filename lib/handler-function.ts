import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaNodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import {
  HANDLER_BUNDLING,
  HANDLER_RUNTIME,
  PREBUILT_BUNDLE_FILE,
  handlerSource,
  isBundlingStubbed,
  type HandlerName,
} from './handler-bundling';

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
  /**
   * How long Lambda keeps an asynchronous event it could not run yet (throttled) before it goes to `onFailure`.
   * @default Lambda's own, six hours
   */
  readonly maxEventAge?: Duration;
  /**
   * The team whose unit the function belongs to, named in its role's description.
   * @default the default unit
   */
  readonly team?: string;
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
      description: `The ${props.handler} function of droplet-scheduler${props.team === undefined ? '' : `, team ${props.team}`}`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // `logGroupArn` ends in `:*`: log streams are created at run time under this one group.
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const options: lambda.FunctionOptions = {
      description: props.description,
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
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
    };
    this.function = createFunction(this, 'Function', props.handler, options);
  }
}

/**
 * The function from the code this copy of the library has: a stub when the unit tests ask for one,
 * the TypeScript source bundled at synth in a clone, the pre-built bundle in the installed package.
 */
function createFunction(
  scope: Construct,
  id: string,
  name: HandlerName,
  options: lambda.FunctionOptions,
): lambda.Function {
  if (isBundlingStubbed(scope)) {
    return new lambda.Function(scope, id, {
      ...options,
      runtime: HANDLER_RUNTIME,
      code: lambda.Code.fromInline('export const handler = async () => undefined;'),
      handler: 'index.handler',
    });
  }
  const source = handlerSource(name);
  if (source.kind === 'typescript') {
    return new lambdaNodejs.NodejsFunction(scope, id, {
      ...options,
      runtime: HANDLER_RUNTIME,
      entry: source.entry,
      handler: 'handler',
      bundling: HANDLER_BUNDLING,
    });
  }
  if (!existsSync(path.join(source.directory, PREBUILT_BUNDLE_FILE))) {
    throw new ConfigurationError(
      `the ${name} handler's bundle is missing: expected ${path.join(source.directory, PREBUILT_BUNDLE_FILE)}, which \`npm run build\` makes before the package is packed`,
    );
  }
  return new lambda.Function(scope, id, {
    ...options,
    runtime: HANDLER_RUNTIME,
    code: lambda.Code.fromAsset(source.directory),
    handler: 'index.handler',
  });
}
