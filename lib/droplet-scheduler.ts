import { Annotations, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import type { Policy } from '../lambdas/core/policy/policy';
import {
  DEFAULT_AUDIT_RETENTION_DAYS,
  DEFAULT_INITIATE_CONCURRENCY,
  type DropletSchedulerNotifications,
  type DropletSchedulerProps,
} from './droplet-scheduler-props';
import { createLedgerTable } from './ledger-table';
import { Monitoring } from './monitoring';
import { Notifications } from './notifications';
import { PolicySchedules } from './policy-schedules';
import { SchedulerUnit } from './scheduler-unit';
import { createDeadLetterQueue } from './secure-queue';
import { validatePolicies } from './validate-policies';
import { checkInitiateConcurrency, validateTeams, type ValidTeam } from './validate-teams';

/** DigitalOcean's public API. */
export const DEFAULT_API_URL = 'https://api.digitalocean.com';

/**
 * Runs droplet-scheduler on AWS: one EventBridge schedule per policy invokes `dispatch`, which
 * resolves the droplets and fans work out through SQS to `initiate`; both record every action in a
 * DynamoDB ledger, and `reconcile` follows each to its outcome on its own schedule. Alarms and a
 * dashboard watch the whole. With `teams`, each listed team gets a unit of its own (queues, the
 * three functions, a reconcile schedule) with its own token; the rest is shared.
 */
export class DropletScheduler extends Construct {
  /** The action ledger (retained by default), shared by every unit. */
  readonly table: dynamodb.Table;
  /** Work items between dispatch and initiate, in the default unit. */
  readonly workQueue: sqs.Queue;
  /** Work items of the default unit that failed every receive. */
  readonly workDeadLetterQueue: sqs.Queue;
  /** Ticks EventBridge Scheduler could not deliver, and dispatch invocations that failed, of every unit. */
  readonly schedulerDeadLetterQueue: sqs.Queue;
  /** The default unit's functions. */
  readonly functions: {
    readonly dispatch: lambda.Function;
    readonly initiate: lambda.Function;
    readonly reconcile: lambda.Function;
  };
  readonly scheduleGroup: scheduler.ScheduleGroup;
  /** One schedule per policy, by policy name, of every unit. */
  readonly schedules: ReadonlyMap<string, scheduler.Schedule>;
  /** The default unit's reconcile schedule. */
  readonly reconcileSchedule: scheduler.Schedule;
  /** The default unit: policies without a team of their own in `teams`, with `tokenSecret`. */
  readonly defaultUnit: SchedulerUnit;
  /** Each team's own unit (functions, queues, reconcile schedule), by team; empty without `teams`. */
  readonly teams: ReadonlyMap<string, SchedulerUnit>;
  readonly alarms: readonly cloudwatch.Alarm[];
  /** The notification topic, webhook and rules, when `notifications` (or `alarmTopic`) is set. */
  readonly notifications?: Notifications;
  readonly dashboard: cloudwatch.Dashboard;
  /** The policies as deployed, after validation. */
  readonly policies: readonly Policy[];

  constructor(scope: Construct, id: string, props: DropletSchedulerProps) {
    super(scope, id);
    this.policies = validatePolicies(props.policies);
    const teams = validateTeams(props.teams, this.policies);
    const initiateConcurrency = checkInitiateConcurrency(
      props.initiateConcurrency ?? DEFAULT_INITIATE_CONCURRENCY,
    );
    const reconcileInterval = props.reconcileInterval ?? Duration.minutes(1);
    const auditRetentionDays = checkAuditRetention(props.auditRetention);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const eventBus = props.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    warnOfSharedTokens(this, props.tokenSecret, teams);

    this.table = createLedgerTable(this, 'Ledger', {
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.schedulerDeadLetterQueue = createDeadLetterQueue(this, 'SchedulerDeadLetterQueue');
    Validations.of(this.schedulerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        "This queue is a dead-letter queue: the schedules' DeadLetterConfig and dispatch's on-failure destination point at it, which cdk-nag does not see because it only recognises queues named in another queue's redrive policy.",
    });
    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      // Its name is fixed at synth: a group left behind by `cdk destroy` would block the next deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const shared = {
      table: this.table,
      eventBus,
      scheduleGroup: this.scheduleGroup,
      schedulerDeadLetterQueue: this.schedulerDeadLetterQueue,
      reconcileInterval,
      apiUrl: props.apiUrl ?? DEFAULT_API_URL,
      auditRetentionDays,
      logRetention,
    };
    // `Default` is left out of logical ids: the default unit's resources keep the ids they had
    // before there were units. Its reconciler leaves the team units' items to them.
    this.defaultUnit = new SchedulerUnit(this, 'Default', {
      ...shared,
      tokenSecret: props.tokenSecret,
      initiateConcurrency,
      ...(teams.length > 0 ? { teamScope: { except: teams.map((team) => team.team) } } : {}),
    });
    this.teams = new Map(
      teams.map((team) => [
        team.team,
        new SchedulerUnit(this, `Team-${team.team}`, {
          ...shared,
          team: team.team,
          tokenSecret: team.tokenSecret,
          initiateConcurrency: team.initiateConcurrency,
          teamScope: { only: [team.team] },
        }),
      ]),
    );
    this.functions = this.defaultUnit.functions;
    this.workQueue = this.defaultUnit.workQueue;
    this.workDeadLetterQueue = this.defaultUnit.workDeadLetterQueue;
    this.reconcileSchedule = this.defaultUnit.reconcileSchedule;

    const policySchedules = new PolicySchedules(this, 'PolicySchedules', {
      policies: this.policies,
      dispatch: this.functions.dispatch,
      teamDispatch: new Map([...this.teams].map(([team, unit]) => [team, unit.functions.dispatch])),
      group: this.scheduleGroup,
      deadLetterQueue: this.schedulerDeadLetterQueue,
      now: new Date(),
    });
    this.schedules = policySchedules.schedules;

    const notifications = notificationsFrom(props);
    this.notifications =
      notifications === undefined
        ? undefined
        : new Notifications(this, 'Notifications', { ...notifications, eventBus });
    const monitoring = new Monitoring(this, 'Monitoring', {
      units: [this.defaultUnit, ...this.teams.values()],
      deadLetterQueues: {
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
 * Two units reading one secret share one token's limits while each paces itself to the whole of
 * them: they stay correct (DigitalOcean's 429s are honoured) but lose the isolation `teams` is for.
 */
function warnOfSharedTokens(
  scope: Construct,
  tokenSecret: secretsmanager.ISecret,
  teams: readonly ValidTeam[],
): void {
  const stack = Stack.of(scope);
  const arnOf = (secret: secretsmanager.ISecret) => JSON.stringify(stack.resolve(secret.secretArn));
  const owners = new Map<string, string>([[arnOf(tokenSecret), 'tokenSecret']]);
  for (const team of teams) {
    const field = `teams.${team.team}.tokenSecret`;
    const first = owners.get(arnOf(team.tokenSecret));
    if (first === undefined) {
      owners.set(arnOf(team.tokenSecret), field);
      continue;
    }
    Annotations.of(scope).addWarningV2(
      'droplet-scheduler:sharedToken',
      `${field}: the same secret as ${first}; the two units would share one token's rate limits, each pacing itself as if it had them alone. Give the team a token of its own.`,
    );
  }
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
