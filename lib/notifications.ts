import { SecretValue, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import { fillTemplate, NOTIFICATION_TEMPLATES } from '../lambdas/core/events/notification-text';
import { DETAIL_TYPES, EVENT_SOURCE } from '../lambdas/core/events/scheduler-event';
import type { DropletSchedulerNotifications } from './droplet-scheduler-props';
import { createDeadLetterQueue } from './secure-queue';

/**
 * The detail-type of a droplet left alone on purpose (skip tag, snooze, skip date). It is read from
 * the event schema when that names it, so that the rule follows the schema.
 */
export const SKIPPED_DETAIL_TYPE: string =
  (DETAIL_TYPES as Readonly<Record<string, string>>).skipped ?? 'Droplet Action Skipped';

/** The detail-types a person is told about: the actions that did not happen as the policy asked. */
export const NOTIFIED_DETAIL_TYPES = { failed: DETAIL_TYPES.failed, skipped: SKIPPED_DETAIL_TYPE } as const;

/** The fields of the webhook secret's JSON `SecretString`. */
export const WEBHOOK_SECRET_FIELDS = {
  /** The URL EventBridge posts to, e.g. a Slack incoming webhook. */
  url: 'url',
  /** The header EventBridge's connection sends with every request (a connection always sends one). */
  headerName: 'headerName',
  /** That header's value. */
  headerValue: 'headerValue',
} as const;

/**
 * Slack allows an incoming webhook about one message a second; EventBridge holds and retries what
 * goes over an API destination's rate, so a burst of failures arrives, in order, rather than being
 * refused.
 */
const WEBHOOK_RATE_PER_SECOND = 1;

/** EventBridge's retries of a target that refused or could not be reached, before the dead-letter queue. */
const TARGET_RETRY_ATTEMPTS = 8;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NotificationsProps extends DropletSchedulerNotifications {
  /** The bus the action events are published on. */
  readonly eventBus: events.IEventBus;
}

/**
 * Tells people when something needs them, with no Lambda function of ours in between: the alarms
 * (through `topic`) and EventBridge rules on the action events. A failed or timed-out action, or a
 * droplet skipped, goes to the topic as a line of text and to the webhook as Slack's `{ "text" }`,
 * both rendered by an input transformer: which policy, which droplet (id and name), what failed
 * and DigitalOcean's own message. What EventBridge cannot deliver after its retries waits in
 * `deadLetterQueue`.
 */
export class Notifications extends Construct {
  /** Where the alarms and the action notifications go; absent with only a webhook. */
  readonly topic?: sns.ITopic;
  /** The API destination of the webhook, when one is configured. */
  readonly webhook?: events.ApiDestination;
  /** Notifications EventBridge could not deliver. */
  readonly deadLetterQueue: sqs.Queue;
  /** The rules on the action events, by detail-type. */
  readonly rules: readonly events.Rule[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    const emails = checkEmails(props.emails ?? []);
    this.topic = props.topic ?? (emails.length > 0 ? this.createTopic() : undefined);
    for (const email of emails) {
      this.topic!.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the notification rules’ targets, which cdk-nag does not see because it only recognises queues named in another queue’s redrive policy.',
    });
    if (props.webhookSecretName !== undefined) {
      this.webhook = this.createWebhook(checkSecretName(props.webhookSecretName));
    }

    const failures = new events.Rule(this, 'ActionFailures', {
      description: 'droplet-scheduler: an action errored, timed out or was refused by DigitalOcean',
      eventBus: props.eventBus,
      eventPattern: { source: [EVENT_SOURCE], detailType: [NOTIFIED_DETAIL_TYPES.failed] },
    });
    const skipped = new events.Rule(this, 'ActionsSkipped', {
      description: 'droplet-scheduler: a droplet was left alone (skip tag, snooze or skip date)',
      eventBus: props.eventBus,
      eventPattern: { source: [EVENT_SOURCE], detailType: [NOTIFIED_DETAIL_TYPES.skipped] },
    });
    this.addTargets(failures, failureMessage());
    this.addTargets(skipped, skippedMessage());
    this.rules = [failures, skipped];
  }

  /**
   * A webhook sees the alarms too, through CloudWatch's own state-change events on the default bus
   * (where CloudWatch always publishes them), so a webhook alone is a whole notification setup.
   */
  watchAlarms(alarms: readonly cloudwatch.IAlarm[]): void {
    if (!this.webhook || alarms.length === 0) return;
    const rule = new events.Rule(this, 'AlarmStateChanges', {
      description: 'droplet-scheduler: an alarm went into or out of ALARM',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: alarms.map((alarm) => alarm.alarmArn),
      },
    });
    rule.addTarget(
      new targets.ApiDestination(this.webhook, {
        event: events.RuleTargetInput.fromObject({ text: alarmText() }),
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: TARGET_RETRY_ATTEMPTS,
      }),
    );
  }

  private createTopic(): sns.Topic {
    // Not encrypted with KMS: the messages carry policy names, droplet ids and error messages, no
    // secrets, and the AWS managed SNS key admits neither EventBridge nor CloudWatch as publishers
    // (a customer managed key would, at a monthly cost for no protection the data needs).
    return new sns.Topic(this, 'Topic', { displayName: 'droplet-scheduler', enforceSSL: true });
  }

  private createWebhook(secretName: string): events.ApiDestination {
    // Dynamic references: CloudFormation reads the secret at deploy time, so neither the URL (for
    // Slack, itself the credential) nor the header value is written into the template.
    const field = (name: string) => SecretValue.secretsManager(secretName, { jsonField: name });
    const connection = new events.Connection(this, 'WebhookConnection', {
      description: 'droplet-scheduler: the notification webhook',
      authorization: events.Authorization.apiKey(
        field(WEBHOOK_SECRET_FIELDS.headerName).unsafeUnwrap(),
        field(WEBHOOK_SECRET_FIELDS.headerValue),
      ),
    });
    return new events.ApiDestination(this, 'Webhook', {
      description: 'droplet-scheduler: the notification webhook',
      connection,
      endpoint: field(WEBHOOK_SECRET_FIELDS.url).unsafeUnwrap(),
      httpMethod: events.HttpMethod.POST,
      rateLimitPerSecond: WEBHOOK_RATE_PER_SECOND,
    });
  }

  private addTargets(rule: events.Rule, text: string): void {
    const delivery = { deadLetterQueue: this.deadLetterQueue, retryAttempts: TARGET_RETRY_ATTEMPTS };
    if (this.topic) {
      rule.addTarget(
        new targets.SnsTopic(this.topic, { message: events.RuleTargetInput.fromText(text), ...delivery }),
      );
    }
    if (this.webhook) {
      // Slack's incoming webhooks, and most chat webhooks, read `text`.
      rule.addTarget(
        new targets.ApiDestination(this.webhook, {
          event: events.RuleTargetInput.fromObject({ text }),
          ...delivery,
        }),
      );
    }
  }
}

const detail = (field: string) => events.EventField.fromPath(`$.detail.${field}`);

/**
 * `droplet-scheduler: weekend-off (tick 2026-11-27T19:00:00.000Z): shutdown of droplet 3164450 (staging-web-2) timed-out (timed_out): expected shutdown to finish within 5 minutes, got: in-progress`.
 * The wording is shared with `local --notify-webhook` (NOTIFICATION_TEMPLATES).
 */
function failureMessage(): string {
  return fillTemplate(NOTIFICATION_TEMPLATES[DETAIL_TYPES.failed]!, detail);
}

/** The fields every action event carries; why it was skipped is in the event's detail. */
function skippedMessage(): string {
  return fillTemplate(NOTIFICATION_TEMPLATES[SKIPPED_DETAIL_TYPE]!, detail);
}

function alarmText(): string {
  return (
    `droplet-scheduler alarm ${events.EventField.fromPath('$.detail.alarmName')} is ` +
    `${events.EventField.fromPath('$.detail.state.value')}: ${events.EventField.fromPath('$.detail.state.reason')}`
  );
}

function checkEmails(emails: readonly string[]): string[] {
  for (const [index, email] of emails.entries()) {
    if (!EMAIL.test(email)) {
      throw new ConfigurationError(
        `notifications.emails[${index}]: expected an email address such as ops@example.com, got: '${email}'`,
      );
    }
  }
  return [...new Set(emails)];
}

function checkSecretName(name: string): string {
  // Secrets Manager's names: 1 to 512 of letters, digits and /_+=.@-.
  if (!/^[\w/+=.@-]{1,512}$/.test(name)) {
    throw new ConfigurationError(
      `notifications.webhookSecretName: expected a Secrets Manager secret name (letters, digits and /_+=.@-), got: '${name}'`,
    );
  }
  return name;
}
