import { ConfigurationError } from '../lambdas/core/errors/configuration-error';
import type { DropletSchedulerNotifications } from './droplet-scheduler-props';

/** The app's context keys for notifications (`cdk deploy -c notifyEmails=a@b.example,c@d.example`). */
export const NOTIFICATION_CONTEXT = {
  emails: 'notifyEmails',
  topicArn: 'notifyTopicArn',
  webhookSecret: 'notifyWebhookSecret',
} as const;

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

export interface NotificationContext {
  /** What the stack passes to the construct: emails and the webhook secret. */
  readonly notifications?: DropletSchedulerNotifications;
  /** The topic to import, by ARN. */
  readonly notificationTopicArn?: string;
}

/**
 * Reads the notification context keys, each optional, and refuses a malformed one naming the key,
 * the value and what was expected. `read` returns a key's value, or undefined when it is not set.
 * @throws {ConfigurationError}
 */
export function notificationsFromContext(read: (key: string) => unknown): NotificationContext {
  const value = (key: string): string | undefined => {
    const raw = read(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw !== 'string') {
      throw new ConfigurationError(`-c ${key}: expected a string, got: ${JSON.stringify(raw)}`);
    }
    return raw.trim();
  };
  const emailList = value(NOTIFICATION_CONTEXT.emails);
  const emails = emailList?.split(',').map((email) => email.trim());
  for (const email of emails ?? []) {
    if (!EMAIL.test(email)) {
      throw new ConfigurationError(
        `-c ${NOTIFICATION_CONTEXT.emails}: expected email addresses separated by commas (ops@example.com,oncall@example.com), got: '${emailList}'`,
      );
    }
  }
  const topicArn = value(NOTIFICATION_CONTEXT.topicArn);
  if (topicArn !== undefined && !TOPIC_ARN.test(topicArn)) {
    throw new ConfigurationError(
      `-c ${NOTIFICATION_CONTEXT.topicArn}: expected an SNS topic ARN (arn:aws:sns:eu-central-1:123456789012:ops), got: '${topicArn}'`,
    );
  }
  const webhookSecretName = value(NOTIFICATION_CONTEXT.webhookSecret);
  const notifications: DropletSchedulerNotifications = {
    ...(emails ? { emails } : {}),
    ...(webhookSecretName ? { webhookSecretName } : {}),
  };
  return {
    ...(Object.keys(notifications).length > 0 ? { notifications } : {}),
    ...(topicArn ? { notificationTopicArn: topicArn } : {}),
  };
}
