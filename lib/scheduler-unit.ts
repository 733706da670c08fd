import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { formatTeamScope, type TeamScope } from '../lambdas/core/ledger/team-scope';
import {
  ENVIRONMENT_VARIABLES,
  TEAM_SCOPE_VARIABLE,
  type EnvironmentKey,
} from '../lambdas/handlers/runtime/lambda-environment';
import { allowLedger, allowPutEvents, allowSendMessages, allowTokenRead } from './function-permissions';
import { HandlerFunction } from './handler-function';
import { POLICY_TICK_RETRY } from './policy-schedules';
import { ReconcileSchedule } from './reconcile-schedule';
import { WorkQueue } from './work-queue';

/** Work items per initiate invocation: ten droplets take about 2.4 s at the token's pace. */
const INITIATE_BATCH_SIZE = 10;

/** The part of the token's rate limits the initiate function's instances share. */
export const INITIATE_RATE_SHARE = 0.8;

export interface SchedulerUnitProps {
  /**
   * The team this unit serves alone.
   * @default none: the default unit, serving every policy whose team has no unit of its own
   */
  readonly team?: string;
  /** The secret holding the token this unit's functions, and no other unit's, may read. */
  readonly tokenSecret: secretsmanager.ISecret;
  /** Checked by the caller: a whole number from 2 to 1000. */
  readonly initiateConcurrency: number;
  /**
   * Which teams' open items this unit's reconciler follows.
   * @default every item (a deployment without team units)
   */
  readonly teamScope?: TeamScope;
  readonly table: dynamodb.ITable;
  readonly eventBus: events.IEventBus;
  readonly scheduleGroup: scheduler.IScheduleGroup;
  /** Where undelivered reconcile ticks and failed dispatches go; shared by every unit. */
  readonly schedulerDeadLetterQueue: sqs.IQueue;
  readonly reconcileInterval: Duration;
  readonly apiUrl: string;
  readonly auditRetentionDays: number;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Everything that spends one DigitalOcean token: a work queue with its dead-letter queue, the
 * dispatch, initiate and reconcile functions and the reconcile schedule. Every unit is built by
 * this one construct: the default unit with the top-level token, and one per team in `teams`,
 * so that a team's 429s, backlog and initiate concurrency are its own. The ledger, the schedule
 * group, the bus, notifications and the dashboard stay shared.
 *
 * The default unit has the id `Default`, which CDK leaves out of logical ids: its resources keep
 * the ids they had before units existed, so an existing deployment updates them in place.
 */
export class SchedulerUnit extends Construct {
  /** The team this unit serves; undefined for the default unit. */
  readonly team?: string;
  readonly functions: {
    readonly dispatch: lambda.Function;
    readonly initiate: lambda.Function;
    readonly reconcile: lambda.Function;
  };
  /** Work items between this unit's dispatch and initiate. */
  readonly workQueue: sqs.Queue;
  /** This unit's work items that failed every receive. */
  readonly workDeadLetterQueue: sqs.Queue;
  readonly reconcileSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SchedulerUnitProps) {
    super(scope, id);
    this.team = props.team;
    const initiateTimeout = Duration.minutes(2);
    const work = new WorkQueue(this, 'Work', { consumerTimeout: initiateTimeout });
    this.workQueue = work.queue;
    this.workDeadLetterQueue = work.deadLetterQueue;

    const environment = environmentFrom({
      tableName: props.table.tableName,
      workQueueUrl: this.workQueue.queueUrl,
      tokenSecretArn: props.tokenSecret.secretArn,
      eventBusName: props.eventBus.eventBusName,
      apiUrl: props.apiUrl,
      auditRetentionDays: String(props.auditRetentionDays),
      rateShare: '1',
    });
    const common = { environment, logRetention: props.logRetention, memorySize: 512, team: props.team };
    // Initiate is the sustained user of the token: its instances share 80% of the limits between
    // them, leaving the rest for dispatch's tag listings and the reconciler's reads, which are
    // short bursts (a 429 there is honoured and retried).
    const initiateShare = String(INITIATE_RATE_SHARE / props.initiateConcurrency);

    const dispatch = new HandlerFunction(this, 'Dispatch', {
      ...common,
      handler: 'dispatch',
      description: described(
        'droplet-scheduler: resolve a policy tick to droplets and start or queue their actions',
        props.team,
      ),
      timeout: Duration.minutes(1),
      // A tick whose dispatch failed lands beside undelivered ticks, with the same alarm.
      onFailure: queueDestination(props.schedulerDeadLetterQueue),
      // Scheduler hands the tick to Lambda's asynchronous queue; a throttled function would otherwise
      // run it up to six hours late. Past the schedule's own retry window it is stale, and goes to
      // the dead-letter queue instead.
      maxEventAge: POLICY_TICK_RETRY.maxEventAge,
    });
    const initiate = new HandlerFunction(this, 'Initiate', {
      ...common,
      handler: 'initiate',
      description: described(
        'droplet-scheduler: start one DigitalOcean action per queued work item',
        props.team,
      ),
      environment: { ...environment, [ENVIRONMENT_VARIABLES.rateShare]: initiateShare },
      timeout: initiateTimeout,
      reservedConcurrentExecutions: props.initiateConcurrency,
    });
    const reconcile = new HandlerFunction(this, 'Reconcile', {
      ...common,
      handler: 'reconcile',
      description: described(
        'droplet-scheduler: follow open actions to completed, errored or timed-out',
        props.team,
      ),
      environment:
        props.teamScope === undefined
          ? environment
          : { ...environment, [TEAM_SCOPE_VARIABLE]: formatTeamScope(props.teamScope) },
      // Shorter than the interval, so that two runs never overlap.
      timeout: Duration.seconds(Math.min(props.reconcileInterval.toSeconds() - 5, 300)),
    });
    this.functions = {
      dispatch: dispatch.function,
      initiate: initiate.function,
      reconcile: reconcile.function,
    };

    // Dispatch queries the table itself for the policy's overrides in force at its tick (snoozes); no index.
    allowLedger(
      dispatch.role,
      props.table,
      ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      { indexes: false },
    );
    allowLedger(initiate.role, props.table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);
    allowLedger(reconcile.role, props.table, [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    ]);
    allowSendMessages(dispatch.role, props.schedulerDeadLetterQueue);
    for (const handler of [dispatch, initiate, reconcile]) {
      allowTokenRead(handler.role, props.tokenSecret);
      allowPutEvents(handler.role, props.eventBus);
      // dispatch fans out; initiate re-queues an item with a delay; reconcile re-queues adopted retries.
      allowSendMessages(handler.role, this.workQueue);
    }
    initiate.function.addEventSource(
      new lambdaEventSources.SqsEventSource(this.workQueue, {
        batchSize: INITIATE_BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        // Equal to the reserved concurrency, so that the poller never invokes into throttling.
        maxConcurrency: props.initiateConcurrency,
      }),
    );

    this.reconcileSchedule = new ReconcileSchedule(this, 'ReconcileSchedule', {
      reconcile: this.functions.reconcile,
      interval: props.reconcileInterval,
      group: props.scheduleGroup,
      deadLetterQueue: props.schedulerDeadLetterQueue,
      team: props.team,
    }).schedule;
  }
}

/** A description for the console, naming the team of a team's unit. */
function described(description: string, team: string | undefined): string {
  return team === undefined ? description : `${description} (team ${team})`;
}

/**
 * An SQS on-failure destination that grants nothing itself: `SqsDestination` would also grant
 * GetQueueAttributes and GetQueueUrl, which Lambda does not need to deliver a failed event.
 */
function queueDestination(queue: sqs.IQueue): lambda.IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}

/** Every variable of the runtime's map, by its shared name; the handlers parse the ones they need. */
function environmentFrom(values: Record<EnvironmentKey, string>): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(ENVIRONMENT_VARIABLES) as EnvironmentKey[]).map((key) => [
      ENVIRONMENT_VARIABLES[key],
      values[key],
    ]),
  );
}
