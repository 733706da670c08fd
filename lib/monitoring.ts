import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RECONCILE_METRICS } from './reconcile-metrics';

/** What the alarms watch of one unit (see `SchedulerUnit`). */
export interface MonitoredUnit {
  /**
   * The team the unit serves alone, named in its alarms.
   * @default none: the default unit
   */
  readonly team?: string;
  readonly functions: Readonly<Record<'dispatch' | 'initiate' | 'reconcile', lambda.IFunction>>;
  readonly workQueue: sqs.IQueue;
  readonly workDeadLetterQueue: sqs.IQueue;
}

export interface MonitoringProps {
  /** The default unit first, then each team's: each gets its dead-letter and error alarms. */
  readonly units: readonly MonitoredUnit[];
  readonly deadLetterQueues: Readonly<Record<'scheduler', sqs.IQueue>> & {
    /** Notifications EventBridge could not deliver, when notifications are on. */
    readonly notifications?: sqs.IQueue;
  };
  readonly scheduleGroup: scheduler.IScheduleGroup;
  readonly reconcileInterval: Duration;
  readonly alarmTopic?: sns.ITopic;
}

const PERIOD = Duration.minutes(5);

/**
 * The alarms an operator needs and one dashboard. Every alarm fires on the first bad period: each
 * condition (a dead letter, a function error, a failed action) means a tick or an action needs a person.
 * Each unit has its own work dead-letter and function error alarms, whose descriptions name its
 * team; the default unit's keep the ids they had before there were units. The action and lag
 * alarms read the reconcilers' shared metrics, so they cover every unit at once.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = props.alarmTopic ? new cloudwatchActions.SnsAction(props.alarmTopic) : undefined;
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold = 0) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        // No data means nothing happened: no dead letters, no invocations, no open actions.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (action) {
        created.addAlarmAction(action);
        created.addOkAction(action);
      }
      this.alarms.push(created);
      return created;
    };

    const schedulerDlqDepth = props.deadLetterQueues.scheduler.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: 'Maximum',
    });
    const workDlqDepths = props.units.map((unit) => {
      const depth = unit.workDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      });
      alarm(
        idOf('WorkDeadLetters', unit),
        `${teamPrefix(unit, props.units)}Work items gave up after every retry: those droplets were not acted on.`,
        depth,
      );
      return depth.with({ label: labelOf('work DLQ', unit) });
    });
    alarm(
      'SchedulerDeadLetters',
      'A policy tick or a failed dispatch is in the scheduler dead-letter queue: that run did not happen.',
      schedulerDlqDepth,
    );

    if (props.deadLetterQueues.notifications) {
      alarm(
        'NotificationDeadLetters',
        'EventBridge could not deliver a notification (topic or webhook) after its retries: look in the notifications dead-letter queue.',
        props.deadLetterQueues.notifications.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
      );
    }

    const functions = props.units.flatMap((unit) =>
      Object.entries(unit.functions).map(([name, fn]) => ({ unit, name, fn })),
    );
    const errors = functions.map(({ unit, name, fn }) => {
      const metric = fn.metricErrors({ period: PERIOD, statistic: 'Sum' });
      alarm(
        idOf(`${capitalize(name)}Errors`, unit),
        `${teamPrefix(unit, props.units)}The ${name} function failed at least once.`,
        metric,
      );
      return metric.with({ label: labelOf(`${name} errors`, unit) });
    });

    // Alarms take the plain metric: a label would turn it into a metric-math query in the template.
    const reconcileMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: RECONCILE_METRICS.namespace,
        metricName,
        dimensionsMap: { service: RECONCILE_METRICS.service },
        period: PERIOD,
        statistic,
      });
    const failed = reconcileMetric(RECONCILE_METRICS.actionsFailed, 'Sum');
    const timedOut = reconcileMetric(RECONCILE_METRICS.actionsTimedOut, 'Sum');
    const lag = reconcileMetric(RECONCILE_METRICS.reconcileLagSeconds, 'Maximum');
    alarm('ActionsFailed', 'DigitalOcean reported at least one action errored.', failed);
    alarm('ActionsTimedOut', 'At least one action did not finish within its policy timeout.', timedOut);
    alarm(
      'ReconcileLag',
      'Open actions wait far longer than the reconcile interval: the reconciler is behind or failing.',
      lag,
      reconcileLagThresholdSeconds(props.reconcileInterval),
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 })],
        [
          graph('Function errors', errors),
          graph(
            'Invocations',
            functions.map(({ unit, name, fn }) =>
              fn.metricInvocations({ period: PERIOD, statistic: 'Sum', label: labelOf(name, unit) }),
            ),
          ),
          graph('Schedule deliveries', [
            props.scheduleGroup.metricAttempts({ period: PERIOD, statistic: 'Sum', label: 'attempts' }),
            props.scheduleGroup.metricTargetErrors({
              period: PERIOD,
              statistic: 'Sum',
              label: 'target errors',
            }),
            props.scheduleGroup.metricSentToDLQ({ period: PERIOD, statistic: 'Sum', label: 'sent to DLQ' }),
          ]),
        ],
        [
          graph('Actions', [
            reconcileMetric(RECONCILE_METRICS.actionsCompleted, 'Sum').with({ label: 'completed' }),
            failed.with({ label: 'errored' }),
            timedOut.with({ label: 'timed out' }),
          ]),
          graph('Reconcile', [
            lag.with({ label: 'lag (s)' }),
            reconcileMetric(RECONCILE_METRICS.apiRequests, 'Sum').with({ label: 'DigitalOcean requests' }),
          ]),
          graph('Queues', [
            ...props.units.map((unit) =>
              unit.workQueue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                label: labelOf('work queue', unit),
              }),
            ),
            ...workDlqDepths,
            schedulerDlqDepth.with({ label: 'scheduler DLQ' }),
          ]),
        ],
      ],
    });
  }
}

/** Five intervals, and never under five minutes: one slow DigitalOcean page must not page a person. */
export function reconcileLagThresholdSeconds(interval: Duration): number {
  return Math.max(300, 5 * interval.toSeconds());
}

function graph(title: string, metrics: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left: metrics, width: 8, height: 6 });
}

/** A team unit's alarm id: the default unit's, suffixed with the team. */
function idOf(base: string, unit: MonitoredUnit): string {
  return unit.team === undefined ? base : `${base}-${unit.team}`;
}

/** Whose alarm it is, once there are team units: the default unit serves every other policy. */
function teamPrefix(unit: MonitoredUnit, units: readonly MonitoredUnit[]): string {
  if (unit.team !== undefined) return `Team ${unit.team}: `;
  return units.length > 1 ? 'Default unit (policies of teams without a unit of their own): ' : '';
}

function labelOf(label: string, unit: MonitoredUnit): string {
  return unit.team === undefined ? label : `${unit.team} ${label}`;
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
