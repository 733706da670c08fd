import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import type { Policy } from '../lambdas/core/policy/policy';
import { ENVIRONMENT_VARIABLES, type EnvironmentKey } from '../lambdas/handlers/runtime/lambda-environment';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_INITIATE_CONCURRENCY,
  type DropletSchedulerNotifications,
  type DropletSchedulerProps,
} from './droplet-scheduler-props';
import { allowLedger, allowPutEvents, allowSendMessages, allowTokenRead } from './function-permissions';
import { HandlerFunction } from './handler-function';
import { createLedgerTable } from './ledger-table';
import { Monitoring } from './monitoring';
import { Notifications } from './notifications';
import { POLICY_TICK_RETRY, PolicySchedules } from './policy-schedules';
import { ReconcileSchedule } from './reconcile-schedule';
import { createDeadLetterQueue } from './secure-queue';
import { validatePolicies } from './validate-policies';
import { WorkQueue } from './work-queue';

/** DigitalOcean's public API. */
export const DEFAULT_API_URL = 'https://api.digitalocean.com';

/** Work items per initiate invocation: ten droplets take about 2.4 s at the token's pace. */
const INITIATE_BATCH_SIZE = 10;

/**
 * Runs droplet-scheduler on AWS: one EventBridge schedule per policy invokes `dispatch`, which
 * resolves the droplets and fans work out through SQS to `initiate`; both record every action in a
 * DynamoDB ledger, and `reconcile` follows each to its outcome on its own schedule. Alarms and a
 * dashboard watch the whole.
 */
export class DropletScheduler extends Construct {
  /** The action ledger (retained by default). */
  readonly table: dynamodb.Table;
  /** Work items between dispatch and initiate. */
  readonly workQueue: sqs.Queue;
  /** Work items that failed every receive. */
  readonly workDeadLetterQueue: sqs.Queue;
  /** Ticks EventBridge Scheduler could not deliver, and dispatch invocations that failed. */
  readonly schedulerDeadLetterQueue: sqs.Queue;
  readonly functions: {
    readonly dispatch: lambda.Function;
    readonly initiate: lambda.Function;
    readonly reconcile: lambda.Function;
  };
  readonly scheduleGroup: scheduler.ScheduleGroup;
  /** One schedule per policy, by policy name. */
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;
  readonly reconcileSchedule: scheduler.Schedule;
  readonly alarms: readonly cloudwatch.Alarm[];
  /** The notification topic, webhook and rules, when `notifications` (or `alarmTopic`) is set. */
  readonly notifications?: Notifications;
  readonly dashboard: cloudwatch.Dashboard;
  /** The policies as deployed, after validation. */
  readonly policies: readonly Policy[];

  constructor(scope: Construct, id: string, props: DropletSchedulerProps) {
    super(scope, id);
    this.policies = validatePolicies(props.policies);
    const initiateConcurrency = checkInitiateConcurrency(
      props.initiateConcurrency ?? DEFAULT_INITIATE_CONCURRENCY,
    );
    const reconcileInterval = props.reconcileInterval ?? Duration.minutes(1);
    const auditRetentionDays = checkAuditRetention(props.auditRetention);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');

    this.table = createLedgerTable(this, 'Ledger', {
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const initiateTimeout = Duration.minutes(2);
    const work = new WorkQueue(this, 'Work', { consumerTimeout: initiateTimeout });
    this.workQueue = work.queue;
    this.workDeadLetterQueue = work.deadLetterQueue;
    this.schedulerDeadLetterQueue = createDeadLetterQueue(this, 'SchedulerDeadLetterQueue');
    Validations.of(this.schedulerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        "This queue is a dead-letter queue: the schedules' DeadLetterConfig and dispatch's on-failure destination point at it, which cdk-nag does not see because it only recognises queues named in another queue's redrive policy.",
    });

    const environment = environmentFrom({
      tableName: this.table.tableName,
      workQueueUrl: this.workQueue.queueUrl,
      tokenSecretArn: props.tokenSecret.secretArn,
      eventBusName: eventBus.eventBusName,
      apiUrl: props.apiUrl ?? DEFAULT_API_URL,
      auditRetentionDays: String(auditRetentionDays),
      rateShare: '1',
    });
    const common = { environment, logRetention, memorySize: 512 };
    // Initiate is the sustained user of the token: its instances share 80% of the limits between
    // them, leaving the rest for dispatch's tag listings and the reconciler's reads, which are
    // short bursts (a 429 there is honoured and retried).
    const initiateShare = String(INITIATE_RATE_SHARE / initiateConcurrency);

    const dispatch = new HandlerFunction(this, 'Dispatch', {
      ...common,
      handler: 'dispatch',
      description: 'droplet-scheduler: resolve a policy tick to droplets and start or queue their actions',
      timeout: Duration.minutes(1),
      // A tick whose dispatch failed lands beside undelivered ticks, with the same alarm.
      onFailure: queueDestination(this.schedulerDeadLetterQueue),
      // Scheduler hands the tick to Lambda's asynchronous queue; a throttled function would otherwise
      // run it up to six hours late. Past the schedule's own retry window it is stale, and goes to
      // the dead-letter queue instead.
      maxEventAge: POLICY_TICK_RETRY.maxEventAge,
    });
    const initiate = new HandlerFunction(this, 'Initiate', {
      ...common,
      handler: 'initiate',
      description: 'droplet-scheduler: start one DigitalOcean action per queued work item',
      environment: { ...environment, [ENVIRONMENT_VARIABLES.rateShare]: initiateShare },
      timeout: initiateTimeout,
      reservedConcurrentExecutions: initiateConcurrency,
    });
    const reconcile = new HandlerFunction(this, 'Reconcile', {
      ...common,
      handler: 'reconcile',
      description: 'droplet-scheduler: follow open actions to completed, errored or timed-out',
      // Shorter than the interval, so that two runs never overlap.
      timeout: Duration.seconds(Math.min(reconcileInterval.toSeconds() - 5, 300)),
    });
    this.functions = {
      dispatch: dispatch.function,
      initiate: initiate.function,
      reconcile: reconcile.function,
    };

    // Dispatch queries the table itself for the policy's overrides in force at its tick (snoozes); no index.
    allowLedger(
      dispatch.role,
      this.table,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      { indexes: false },
    );
    allowLedger(initiate.role, this.table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);
    allowLedger(reconcile.role, this.table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);
    allowSendMessages(dispatch.role, this.schedulerDeadLetterQueue);
    for (const handler of [dispatch, initiate, reconcile]) {
      allowTokenRead(handler.role, props.tokenSecret);
      allowPutEvents(handler.role, eventBus);
      // dispatch fans out; initiate re-queues an item with a delay; reconcile re-queues adopted retries.
      allowSendMessages(handler.role, this.workQueue);
    }
    initiate.function.addEventSource(
      new lambdaEventSources.SqsEventSource(this.workQueue, {
        batchSize: INITIATE_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // Equal to the reserved concurrency, so that the poller never invokes into throttling.
        maxConcurrency: initiateConcurrency,
      }),
    );

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      // Its name is fixed at synth: a group left behind by `cdk destroy` would block the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const policySchedules = new PolicySchedules(this, 'PolicySchedules', {
      policies: this.policies,
      dispatch: this.functions.dispatch,
      group: this.scheduleGroup,
      deadLetterQueue: this.schedulerDeadLetterQueue,
      now: new Date(),
    });
    this.schedules = policySchedules.schedules;
    this.reconcileSchedule = new ReconcileSchedule(this, 'ReconcileSchedule', {
      reconcile: this.functions.reconcile,
      interval: reconcileInterval,
      group: this.scheduleGroup,
      deadLetterQueue: this.schedulerDeadLetterQueue,
    }).schedule;

    const notifications = notificationsFrom(props);
    this.notifications =
      notifications === undefined
        ? undefined
        : new Notifications(this, 'Notifications', { ...notifications, eventBus });
    const monitoring = new Monitoring(this, 'Monitoring', {
      functions: this.functions,
      workQueue: this.workQueue,
      deadLetterQueues: {
        work: this.workDeadLetterQueue,
        scheduler: this.schedulerDeadLetterQueue,
        ...(this.notifications ? { notifications: this.notifications.deadLetterQueue } : {}),
      },
      scheduleGroup: this.scheduleGroup,
      reconcileInterval,
      alarmTopic: this.notifications?.topic,
    });
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
    this.notifications?.watchAlarms(this.alarms);
  }
}

/**
 * An SQS on-failure destination that grants nothing itself: `SqsDestination` would also grant
 * GetQueueAttributes and GetQueueUrl, which Lambda does not need to deliver a failed event.
 */
function queueDestination(queue: sqs.IQueue): lambda.IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}

/** Every variable of the runtime's map, by its shared name; the handlers parse the ones they need. */
/** The part of the token's rate limits the initiate function's instances share. */
const INITIATE_RATE_SHARE = 0.8;

function environmentFrom(values: Record<EnvironmentKey, string>): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(ENVIRONMENT_VARIABLES) as EnvironmentKey[]).map((key) => [
      ENVIRONMENT_VARIABLES[key],
      values[key],
    ]),
  );
}

function checkInitiateConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 2 || value > 1000) {
    throw new ConfigurationError(
      `initiateConcurrency: expected a whole number from 2 to 1000 (an SQS event source needs at least 2), got: ${value}`,
    );
  }
  return value;
}

function checkAuditRetention(retention: Duration | undefined): number {
  if (retention === undefined) return DEFAULT_AUDIT_RETENTION_DAYS;
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1) {
    throw new ConfigurationError(
      `auditRetention: expected a whole number of days, at least 1, got: ${retention.toHumanString()}`,
    );
  }
  return days;
}

/** `notifications`, with the deprecated `alarmTopic` as its `topic`; undefined when nothing is to be sent. */
function notificationsFrom(props: DropletSchedulerProps): DropletSchedulerNotifications | undefined {
  if (props.alarmTopic !== undefined && props.notifications?.topic !== undefined) {
    throw new ConfigurationError(
      'alarmTopic: expected either alarmTopic (deprecated) or notifications.topic, got both; keep notifications.topic',
    );
  }
  const topic = props.notifications?.topic ?? props.alarmTopic;
  const merged = { ...props.notifications, topic };
  const wanted =
    merged.topic !== undefined || (merged.emails?.length ?? 0) > 0 || merged.webhookSecretName !== undefined;
  return wanted ? merged : undefined;
}
