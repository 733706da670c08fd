import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { notificationText } from '../../lambdas/core/events/notification-text';
import { DETAIL_TYPES, EVENT_SOURCE, type SchedulerEvent } from '../../lambdas/core/events/scheduler-event';
import { NOTIFIED_DETAIL_TYPES, WEBHOOK_SECRET_FIELDS } from '../../lib';
import { buildScheduler, synthScheduler } from './support/synth-scheduler';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface RuleTarget {
  Arn: unknown;
  InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
  DeadLetterConfig?: { Arn: unknown };
  RetryPolicy?: { MaximumRetryAttempts: number };
}

/** The failure example of docs/events.md, as EventBridge delivers it to a rule. */
const FAILED_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  source: EVENT_SOURCE,
  'detail-type': DETAIL_TYPES.failed,
  detail: {
    policy: 'weekend-off',
    scheduledTime: '2026-11-27T19:00:00.000Z',
    dropletId: 3164450,
    dropletName: 'staging-web-2',
    actionId: 2100000417,
    type: 'shutdown',
    status: 'timed-out',
    startedAt: '2026-11-27T19:00:02.000Z',
    completedAt: '2026-11-27T19:05:03.000Z',
    durationSeconds: 301,
    error: {
      code: 'unprocessable_entity',
      message: 'Droplet already has a pending event.',
    },
    parentActionId: null,
  },
};

const WEBHOOK_SECRET = 'droplet-scheduler/slack-webhook';

/**
 * What EventBridge's input transformer makes of an event, for the dot paths our rules use: each
 * `<name>` becomes the value at its path, and the result is the JSON the target receives.
 */
function transform(transformer: NonNullable<RuleTarget['InputTransformer']>, event: unknown): unknown {
  let rendered = transformer.InputTemplate;
  for (const [name, jsonPath] of Object.entries(transformer.InputPathsMap)) {
    const value = jsonPath
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], event);
    rendered = rendered.replaceAll(`<${name}>`, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return JSON.parse(rendered);
}

function resourcesOf(template: { findResources(type: string): Record<string, unknown> }, type: string) {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

function rulesFor(template: Parameters<typeof resourcesOf>[0], detailType: string): Resource[] {
  return resourcesOf(template, 'AWS::Events::Rule')
    .map(([, rule]) => rule)
    .filter((rule) => {
      const pattern = rule.Properties.EventPattern as { source?: string[]; 'detail-type'?: string[] };
      return pattern.source?.includes(EVENT_SOURCE) && pattern['detail-type']?.includes(detailType);
    });
}

describe('notifications', () => {
  test('given no notifications, when synthesized, then there is no topic, no rule, no webhook and no alarm action', () => {
    const { template } = synthScheduler();

    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
    template.resourceCountIs('AWS::Events::Connection', 0);
    template.resourceCountIs('AWS::Events::ApiDestination', 0);
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  test('given emails, when synthesized, then a topic of its own takes them, every alarm notifies it, and failed and skipped actions reach it', () => {
    const { template } = synthScheduler({
      notifications: { emails: ['ops@example.com', 'oncall@example.com', 'ops@example.com'] },
    });

    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(1);
    const topicRef = { Ref: topics[0]![0] };
    const subscriptions = resourcesOf(template, 'AWS::SNS::Subscription').map(([, s]) => s.Properties);
    expect(subscriptions.map((s) => [s.Protocol, s.Endpoint]).sort()).toEqual([
      ['email', 'oncall@example.com'],
      ['email', 'ops@example.com'],
    ]);
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(9);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
    for (const detailType of [DETAIL_TYPES.failed, NOTIFIED_DETAIL_TYPES.skipped]) {
      const [rule, ...others] = rulesFor(template, detailType);
      expect(others).toEqual([]);
      const ruleTargets = rule!.Properties.Targets as RuleTarget[];
      expect(ruleTargets).toHaveLength(1);
      expect(ruleTargets[0]!.Arn).toEqual(topicRef);
      expect(ruleTargets[0]!.DeadLetterConfig?.Arn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/NotificationsDeadLetterQueue/), 'Arn'],
      });
      expect(ruleTargets[0]!.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
    }
    // EventBridge may publish to the topic, and nothing may reach it without TLS.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
  });

  test('given the failure example of docs/events.md, when the topic rule renders it, then the message names the policy, the droplet by id and name, what failed and DigitalOcean’s message', () => {
    const { template } = synthScheduler({ notifications: { emails: ['ops@example.com'] } });
    const [rule] = rulesFor(template, DETAIL_TYPES.failed);
    const [target] = rule!.Properties.Targets as RuleTarget[];

    const message = transform(target!.InputTransformer!, FAILED_EVENT);

    expect(message).toBe(
      'droplet-scheduler: weekend-off (tick 2026-11-27T19:00:00.000Z): shutdown of droplet 3164450 (staging-web-2) timed-out (unprocessable_entity): Droplet already has a pending event.',
    );
  });

  test('given a topic of yours, when synthesized, then the alarms and rules use it and no topic is created', () => {
    const arn = 'arn:aws:sns:eu-central-1:123456789012:ops';
    const { template } = synthScheduler((stack) => ({
      notifications: { topic: sns.Topic.fromTopicArn(stack, 'Ops', arn) },
    }));

    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions).toEqual([arn]);
    }
    const [rule] = rulesFor(template, DETAIL_TYPES.failed);
    expect((rule!.Properties.Targets as RuleTarget[]).map((target) => target.Arn)).toEqual([arn]);
  });

  test('given a webhook secret, when synthesized, then an API destination reads URL and header from the secret at deploy time and receives Slack-shaped messages, alarms included', () => {
    const { template } = synthScheduler({ notifications: { webhookSecretName: WEBHOOK_SECRET } });
    const reference = (field: string) =>
      `{{resolve:secretsmanager:${WEBHOOK_SECRET}:SecretString:${field}::}}`;

    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: reference(WEBHOOK_SECRET_FIELDS.headerName),
          ApiKeyValue: reference(WEBHOOK_SECRET_FIELDS.headerValue),
        },
      },
    });
    const destinations = resourcesOf(template, 'AWS::Events::ApiDestination');
    expect(destinations).toHaveLength(1);
    expect(destinations[0]![1].Properties).toMatchObject({
      InvocationEndpoint: reference(WEBHOOK_SECRET_FIELDS.url),
      HttpMethod: 'POST',
      InvocationRateLimitPerSecond: 1,
    });
    const destinationArn = { 'Fn::GetAtt': [destinations[0]![0], 'Arn'] };

    const [rule] = rulesFor(template, DETAIL_TYPES.failed);
    const [target] = rule!.Properties.Targets as RuleTarget[];
    expect(target!.Arn).toEqual(destinationArn);
    expect(transform(target!.InputTransformer!, FAILED_EVENT)).toEqual({
      text: expect.stringMatching(
        /^droplet-scheduler: weekend-off \(tick 2026-11-27T19:00:00\.000Z\): shutdown of droplet 3164450 \(staging-web-2\) timed-out .*Droplet already has a pending event\.$/,
      ),
    });
    expect(rulesFor(template, NOTIFIED_DETAIL_TYPES.skipped)).toHaveLength(1);

    // The alarms reach the webhook through CloudWatch's state-change events.
    const alarmArns = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([id]) => ({
      'Fn::GetAtt': [id, 'Arn'],
    }));
    const alarmRule = resourcesOf(template, 'AWS::Events::Rule')
      .map(([, r]) => r)
      .find((r) => (r.Properties.EventPattern as { source: string[] }).source.includes('aws.cloudwatch'));
    expect((alarmRule!.Properties.EventPattern as { resources: unknown[] }).resources).toEqual(
      expect.arrayContaining(alarmArns),
    );
    expect((alarmRule!.Properties.Targets as RuleTarget[])[0]!.Arn).toEqual(destinationArn);
  });

  test('given a failed and a skipped event, then the deployed webhook message is the one local --notify-webhook posts', () => {
    const { template } = synthScheduler({ notifications: { webhookSecretName: WEBHOOK_SECRET } });
    const skipped = {
      ...FAILED_EVENT,
      'detail-type': DETAIL_TYPES.skipped,
      detail: {
        ...FAILED_EVENT.detail,
        dropletName: null,
        status: 'skipped',
        error: null,
        reason: 'the droplet carries the tag droplet-scheduler-skip',
      },
    };
    for (const event of [FAILED_EVENT, skipped]) {
      const [rule] = rulesFor(template, event['detail-type']);
      const [target] = rule!.Properties.Targets as RuleTarget[];
      const local = notificationText({
        detailType: event['detail-type'],
        detail: event.detail,
      } as unknown as SchedulerEvent);
      expect(transform(target!.InputTransformer!, event)).toEqual({ text: local });
    }
  });

  test('given the rules, then they match the event schema’s failed detail-type and the skipped one', () => {
    expect(NOTIFIED_DETAIL_TYPES.failed).toBe(DETAIL_TYPES.failed);
    expect(NOTIFIED_DETAIL_TYPES.skipped).toBe(
      (DETAIL_TYPES as Record<string, string>).skipped ?? 'Droplet Action Skipped',
    );
  });

  test.each([
    [
      { emails: ['ops@example'] },
      /notifications\.emails\[0\]: expected an email address .*got: 'ops@example'/,
    ],
    [
      { webhookSecretName: 'a secret' },
      /notifications\.webhookSecretName: expected a Secrets Manager secret name.*got: 'a secret'/,
    ],
  ])(
    'given %j, when constructed, then it is refused naming the field and the value',
    (notifications, message) => {
      expect(() => buildScheduler({ notifications })).toThrow(message);
    },
  );

  test('given both alarmTopic and notifications.topic, when constructed, then it is refused', () => {
    expect(() =>
      buildScheduler((stack) => ({
        alarmTopic: new sns.Topic(stack, 'A'),
        notifications: { topic: new sns.Topic(stack, 'B') },
      })),
    ).toThrow(/alarmTopic: expected either alarmTopic \(deprecated\) or notifications\.topic, got both/);
  });
});
