import { CfnOutput, Stack, Token, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import { DropletScheduler } from './droplet-scheduler';
import type { DropletSchedulerProps } from './droplet-scheduler-props';

/** A team's own token, by secret name, and initiate concurrency (see `DropletSchedulerProps.teams`). */
export interface DropletSchedulerStackTeam {
  /** The name of an existing Secrets Manager secret whose `SecretString` is the team's DigitalOcean token. */
  readonly tokenSecretName: string;
  /**
   * The most initiate instances of the team's unit at once.
   * @default DEFAULT_INITIATE_CONCURRENCY (2)
   */
  readonly initiateConcurrency?: number;
}

/** The construct's props, with the tokens' secrets named rather than passed (the stack references them). */
export interface DropletSchedulerStackProps
  extends StackProps, Omit<DropletSchedulerProps, 'tokenSecret' | 'teams'> {
  /**
   * The name of an existing Secrets Manager secret whose `SecretString` is the DigitalOcean token.
   * The stack only references it: create it first (docs/deploy.md), and the token never passes through CloudFormation.
   */
  readonly tokenSecretName: string;

  /**
   * An existing SNS topic for the notifications, by ARN (the stack imports it): the app's
   * `-c notifyTopicArn=...`. Takes the place of `notifications.topic`.
   * @default notifications.topic
   */
  readonly notificationTopicArn?: string;

  /**
   * Teams with a token of their own, by team name, each with its secret's name: the app's `-c teams=...`.
   * @default no team units
   */
  readonly teams?: Readonly<Record<string, DropletSchedulerStackTeam>>;
}

/** The stack `cdk deploy` creates: one `DropletScheduler`, reading the token from an existing secret. */
export class DropletSchedulerStack extends Stack {
  readonly scheduler: DropletScheduler;

  constructor(scope: Construct, id: string, props: DropletSchedulerStackProps) {
    super(scope, id, props);
    const tokenSecret = secretsmanager.Secret.fromSecretNameV2(this, 'TokenSecret', props.tokenSecretName);
    this.scheduler = new DropletScheduler(this, 'DropletScheduler', {
      policies: props.policies,
      tokenSecret,
      apiUrl: props.apiUrl,
      eventBus: props.eventBus,
      alarmTopic: props.alarmTopic,
      notifications:
        props.notificationTopicArn === undefined
          ? props.notifications
          : {
              ...props.notifications,
              topic: importTopic(this, props.notificationTopicArn),
            },
      teams: teamsOf(this, props.teams),
      reconcileInterval: props.reconcileInterval,
      initiateConcurrency: props.initiateConcurrency,
      auditRetention: props.auditRetention,
      removalPolicy: props.removalPolicy,
      logRetention: props.logRetention,
    });
    // What docs/deploy.md's commands need: `aws cloudformation describe-stacks --query Stacks[0].Outputs`.
    const outputs: Record<string, { value: string; description: string }> = {
      LedgerTableName: {
        value: this.scheduler.table.tableName,
        description: 'droplet-scheduler audit --table <this>',
      },
      DispatchFunctionName: {
        value: this.scheduler.functions.dispatch.functionName,
        description: 'Invoke with a schedule input to run one tick by hand',
      },
      ScheduleGroupName: {
        value: this.scheduler.scheduleGroup.scheduleGroupName,
        description: 'The schedules, one per policy',
      },
      SchedulerDeadLetterQueueUrl: {
        value: this.scheduler.schedulerDeadLetterQueue.queueUrl,
        description: 'Ticks that were not delivered and dispatches that failed',
      },
      WorkDeadLetterQueueUrl: {
        value: this.scheduler.workDeadLetterQueue.queueUrl,
        description: 'Work items that failed every attempt',
      },
      DashboardName: {
        value: this.scheduler.dashboard.dashboardName,
        description: 'The CloudWatch dashboard',
      },
    };
    const suffixes = new Map<string, string>();
    for (const [team, unit] of this.scheduler.teams) {
      const suffix = outputSuffix(team);
      const other = suffixes.get(suffix);
      if (other !== undefined) {
        throw new ConfigurationError(
          `teams: expected team names that differ in more than their runs of "-" (each names the stack's outputs, as ${suffix}), got: "${other}" and "${team}"`,
        );
      }
      suffixes.set(suffix, team);
      outputs[`DispatchFunctionName${suffix}`] = {
        value: unit.functions.dispatch.functionName,
        description: `Team ${team}: invoke with a schedule input to run one tick by hand`,
      };
      outputs[`WorkDeadLetterQueueUrl${suffix}`] = {
        value: unit.workDeadLetterQueue.queueUrl,
        description: `Team ${team}: work items that failed every attempt`,
      };
    }
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}

/** Each team's secret, referenced by name as the default token's is. */
function teamsOf(
  stack: Stack,
  teams: DropletSchedulerStackProps['teams'],
): DropletSchedulerProps['teams'] | undefined {
  if (teams === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(teams).map(([team, settings]) => [
      team,
      {
        tokenSecret: secretsmanager.Secret.fromSecretNameV2(
          stack,
          `TokenSecret-${team}`,
          settings.tokenSecretName,
        ),
        initiateConcurrency: settings.initiateConcurrency,
      },
    ]),
  );
}

/** A team name as part of an output key, which must be letters and digits: `web-shop` → `WebShop`. */
function outputSuffix(team: string): string {
  return team
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * The topic behind `notificationTopicArn`. EventBridge rules and CloudWatch alarms publish only to a
 * topic of their own region and account; one elsewhere is refused here, by name, rather than by a
 * CDK message about cross-environment events.
 */
function importTopic(stack: Stack, topicArn: string): sns.ITopic {
  const [, , , region, account] = topicArn.split(':');
  for (const [what, expected, got] of [
    ['region', stack.region, region],
    ['account', stack.account, account],
  ] as const) {
    if (!Token.isUnresolved(expected) && expected !== got) {
      throw new ConfigurationError(
        `notificationTopicArn: expected a topic in the stack's ${what} (${expected}), got: '${topicArn}'`,
      );
    }
  }
  return sns.Topic.fromTopicArn(stack, 'NotificationTopic', topicArn);
}
