import { NOTIFICATION_CONTEXT, notificationsFromContext } from '../../lib/notification-context';

const reading = (values: Record<string, unknown>) => (key: string) => values[key];

describe('notification context keys of the app', () => {
  test('given no keys, then there are no notifications', () => {
    expect(notificationsFromContext(reading({}))).toEqual({});
    expect(notificationsFromContext(reading({ [NOTIFICATION_CONTEXT.emails]: '' }))).toEqual({});
  });

  test('given emails, a topic ARN and a webhook secret, then each reaches the stack', () => {
    const context = notificationsFromContext(
      reading({
        notifyEmails: 'ops@example.com, oncall@example.com',
        notifyTopicArn: 'arn:aws:sns:eu-central-1:123456789012:ops-alerts',
        notifyWebhookSecret: 'droplet-scheduler/slack-webhook',
      }),
    );

    expect(context).toEqual({
      notifications: {
        emails: ['ops@example.com', 'oncall@example.com'],
        webhookSecretName: 'droplet-scheduler/slack-webhook',
      },
      notificationTopicArn: 'arn:aws:sns:eu-central-1:123456789012:ops-alerts',
    });
  });

  test.each([
    [
      'notifyEmails',
      'ops@example.com;oncall@example.com',
      /-c notifyEmails: expected email addresses separated by commas .*got: 'ops@example.com;oncall@example.com'/,
    ],
    ['notifyEmails', 'ops@example.com,', /-c notifyEmails: expected email addresses/],
    ['notifyTopicArn', 'ops-alerts', /-c notifyTopicArn: expected an SNS topic ARN .*got: 'ops-alerts'/],
    ['notifyWebhookSecret', 42, /-c notifyWebhookSecret: expected a string, got: 42/],
  ])(
    'given %s=%j, then it is refused naming the key, the value and what was expected',
    (key, value, message) => {
      expect(() => notificationsFromContext(reading({ [key]: value }))).toThrow(message);
    },
  );
});
