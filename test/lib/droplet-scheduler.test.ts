import { randomBytes } from 'node:crypto';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ENVIRONMENT_VARIABLES } from '../../lambdas/handlers/runtime/lambda-environment';
import { LEDGER_TABLE_SCHEMA } from '../../lambdas/adapters/dynamodb/ledger-table-schema';
import { DEFAULT_INITIATE_CONCURRENCY, POLICY_TICK_RETRY, RECONCILE_METRICS } from '../../lib';
import { samplePolicies } from './support/sample-policies';
import {
  buildScheduler,
  synthScheduler,
  TOKEN_SECRET_NAME,
  type SynthesizedScheduler,
} from './support/synth-scheduler';

type Resources = Record<
  string,
  { Type: string; Properties: Record<string, unknown>; [key: string]: unknown }
>;

let synthesized: SynthesizedScheduler;
let template: Template;
let resources: Resources;
const policies = samplePolicies();

beforeAll(() => {
  synthesized = synthScheduler();
  template = synthesized.template;
  resources = template.toJSON().Resources as Resources;
});

function ofType(type: string): Resources[string][] {
  return Object.values(resources).filter((resource) => resource.Type === type);
}

describe('DropletScheduler resources', () => {
  test.each([
    ['AWS::Scheduler::ScheduleGroup', 1],
    // One per policy and the reconcile schedule.
    ['AWS::Scheduler::Schedule', policies.length + 1],
    ['AWS::Lambda::Function', 3],
    ['AWS::Lambda::EventSourceMapping', 1],
    ['AWS::Logs::LogGroup', 3],
    ['AWS::DynamoDB::Table', 1],
    // Work queue, its DLQ, and the scheduler DLQ.
    ['AWS::SQS::Queue', 3],
    ['AWS::SQS::QueuePolicy', 3],
    ['AWS::CloudWatch::Dashboard', 1],
    ['AWS::CloudWatch::Alarm', 8],
  ])('given the sample policies, when synthesized, then there are %s x %i', (type, count) => {
    template.resourceCountIs(type, count);
  });
});

describe('policy schedules', () => {
  test.each(policies.map((policy) => [policy.name, policy] as const))(
    'given policy %s, when synthesized, then one schedule carries its expression, zone, state and input',
    (name, policy) => {
      const schedules = template.findResources('AWS::Scheduler::Schedule', { Properties: { Name: name } });
      expect(Object.keys(schedules)).toHaveLength(1);
      const properties = Object.values(schedules)[0]!.Properties as Record<string, unknown>;
      expect(properties).toMatchObject({
        ScheduleExpression: policy.schedule,
        ScheduleExpressionTimezone: policy.timezone,
        State: policy.enabled ? 'ENABLED' : 'DISABLED',
        GroupName: expect.stringMatching(/Schedules/),
      });
      const target = properties.Target as Record<string, unknown>;
      expect(JSON.parse(target.Input as string)).toEqual({
        policy: JSON.parse(JSON.stringify(policy)),
        scheduledTime: '<aws.scheduler.scheduled-time>',
        executionId: '<aws.scheduler.execution-id>',
      });
      expect(target.RetryPolicy).toEqual({
        MaximumEventAgeInSeconds: POLICY_TICK_RETRY.maxEventAge.toSeconds(),
        MaximumRetryAttempts: POLICY_TICK_RETRY.retryAttempts,
      });
      expect(target.DeadLetterConfig).toEqual({
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/SchedulerDeadLetterQueue/), 'Arn'] },
      });
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Dispatch/), 'Arn'] });
    },
  );

  test.each([
    ['weekend-off', { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }],
    ['nightly-snapshots', { Mode: 'OFF' }],
  ])('given policy %s, when synthesized, then its flexible window is %j', (name, window) => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { Name: name, FlexibleTimeWindow: window });
  });

  test('given a policy with future start and end dates, when synthesized, then the schedule has both', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'monday-on',
      StartDate: '2090-01-01T00:00:00.000Z',
      EndDate: '2091-01-01T00:00:00.000Z',
    });
  });

  test('given a policy whose end date has passed, when synthesized, then its schedule is disabled without dates', () => {
    const [first] = policies;
    const ended = {
      ...first!,
      name: 'ended',
      startDate: '2020-01-01T00:00:00.000Z',
      endDate: '2021-01-01T00:00:00.000Z',
    };
    const { template: other } = synthScheduler({ policies: [ended] });
    const schedule = Object.values(
      other.findResources('AWS::Scheduler::Schedule', { Properties: { Name: 'ended' } }),
    )[0]!;
    expect(schedule.Properties).toMatchObject({ State: 'DISABLED' });
    expect(schedule.Properties).not.toHaveProperty('StartDate');
    expect(schedule.Properties).not.toHaveProperty('EndDate');
  });

  test('given the schedule group, when the stack is destroyed, then it goes too so that a redeploy can recreate it', () => {
    template.hasResource('AWS::Scheduler::ScheduleGroup', { DeletionPolicy: 'Delete' });
  });

  test('given every schedule, when synthesized, then each names a time zone, a retry policy and a dead-letter queue', () => {
    for (const schedule of ofType('AWS::Scheduler::Schedule')) {
      expect(schedule.Properties).toHaveProperty('ScheduleExpressionTimezone');
      expect(schedule.Properties.Target).toHaveProperty('RetryPolicy');
      expect(schedule.Properties.Target).toHaveProperty('DeadLetterConfig');
    }
  });

  test('given no reconcileInterval, when synthesized, then reconcile runs every minute in UTC without retries', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Reconcile'), 'Arn'] },
        RetryPolicy: { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 },
      }),
    });
  });

  test('given reconcileInterval of 5 minutes, when synthesized, then the reconcile schedule says rate(5 minutes)', () => {
    const { template: other } = synthScheduler({ reconcileInterval: Duration.minutes(5) });
    other.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });
});

describe('functions', () => {
  test.each(['Dispatch', 'Initiate', 'Reconcile'])(
    'given the %s function, when synthesized, then it runs Node.js 24 on arm64 with source maps and the shared environment',
    (name) => {
      const [fn] = Object.entries(resources).filter(
        ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.includes(name),
      );
      expect(fn).toBeDefined();
      const properties = fn![1].Properties;
      expect(properties.Runtime).toBe('nodejs24.x');
      expect(properties.Architectures).toEqual(['arm64']);
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(Object.keys(variables).sort()).toEqual(
        [...Object.values(ENVIRONMENT_VARIABLES), 'NODE_OPTIONS'].sort(),
      );
      expect(properties.LoggingConfig).toEqual({
        LogGroup: { Ref: expect.stringMatching(new RegExp(`${name}Logs`)) },
      });
    },
  );

  test('given any function, when synthesized, then its own async retries are 0', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig');
    expect(configs).toHaveLength(3);
    for (const config of configs) expect(config.Properties.MaximumRetryAttempts).toBe(0);
  });

  test("given the dispatch function, when a tick waits in Lambda's async queue, then it is kept no longer than the schedule's retry window", () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('Dispatch') },
      MaximumEventAgeInSeconds: POLICY_TICK_RETRY.maxEventAge.toSeconds(),
      MaximumRetryAttempts: 0,
    });
    expect(POLICY_TICK_RETRY.maxEventAge.toSeconds()).toBe(3600);
  });

  test('given the dispatch function, when an async invocation fails, then it goes to the scheduler dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('Dispatch') },
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('SchedulerDeadLetterQueue'), 'Arn'] },
        },
      },
    });
  });

  test('given no initiateConcurrency, when synthesized, then initiate reserves the default and its SQS source matches it', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      ReservedConcurrentExecutions: DEFAULT_INITIATE_CONCURRENCY,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: DEFAULT_INITIATE_CONCURRENCY },
    });
  });

  test.each([0, 1, 1.5, 1001])(
    'given initiateConcurrency %p, when constructed, then it is refused by name',
    (value) => {
      expect(() => buildScheduler({ initiateConcurrency: value })).toThrow(
        new RegExp(`initiateConcurrency: expected a whole number from 2 to 1000.*got: ${value}`),
      );
    },
  );

  test.each([Duration.seconds(30), Duration.seconds(90)])(
    'given reconcileInterval %s, when constructed, then it is refused for not being whole minutes',
    (interval) => {
      expect(() => buildScheduler({ reconcileInterval: interval })).toThrow(
        /reconcileInterval: expected a whole number of minutes/,
      );
    },
  );
});

describe('ledger table', () => {
  test('given the defaults, when synthesized, then the table is on demand, encrypted, with PITR and TTL, retained and protected from deletion', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: LEDGER_TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  test('given the shared schema, when synthesized, then keys and every index come from it', () => {
    const [table] = ofType('AWS::DynamoDB::Table');
    expect(table!.Properties.KeySchema).toEqual([
      { AttributeName: LEDGER_TABLE_SCHEMA.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: LEDGER_TABLE_SCHEMA.sortKey.name, KeyType: 'RANGE' },
    ]);
    const indexes = table!.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[];
    expect(indexes.map((index) => index.IndexName)).toEqual(
      LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => index.indexName),
    );
    for (const [i, schema] of LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.entries()) {
      expect(indexes[i]!.KeySchema).toEqual([
        { AttributeName: schema.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: schema.sortKey.name, KeyType: 'RANGE' },
      ]);
    }
  });

  test('given removalPolicy DESTROY, when synthesized, then the table is deleted with the stack, unprotected', () => {
    const { template: other } = synthScheduler({ removalPolicy: RemovalPolicy.DESTROY });
    other.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
  });

  test('given auditRetention of 30 days, when synthesized, then the functions are told 30', () => {
    const { template: other } = synthScheduler({ auditRetention: Duration.days(30) });
    other.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENVIRONMENT_VARIABLES.auditRetentionDays]: '30' }) },
    });
  });
});

describe('queues', () => {
  test('given every queue, when synthesized, then it is encrypted by SQS and its policy refuses requests without TLS', () => {
    const queues = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::SQS::Queue');
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('given the work queue, when synthesized, then it redrives to its DLQ and outlasts six initiate timeouts', () => {
    const initiate = Object.entries(resources).find(
      ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && id.includes('Initiate'),
    )![1];
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: (initiate.Properties.Timeout as number) * 6,
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 5 },
    });
  });
});

describe('least privilege', () => {
  function statementsOf(
    roleIdPart: string,
  ): { Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
    const policies = Object.entries(resources).filter(
      ([id, resource]) => resource.Type === 'AWS::IAM::Policy' && id.includes(roleIdPart),
    );
    expect(policies).toHaveLength(1);
    const document = policies[0]![1].Properties.PolicyDocument as { Statement: never[] };
    return document.Statement;
  }
  function actionsOf(roleIdPart: string): string[] {
    return statementsOf(roleIdPart)
      .flatMap((statement) => [statement.Action].flat())
      .sort();
  }

  test('given every IAM policy, when synthesized, then no statement has Resource "*"', () => {
    for (const policy of ofType('AWS::IAM::Policy')) {
      const statements = (policy.Properties.PolicyDocument as { Statement: { Resource: unknown }[] })
        .Statement;
      for (const statement of statements) {
        for (const resource of [statement.Resource].flat()) expect(resource).not.toBe('*');
      }
    }
  });

  test.each([
    [
      'DispatchRole',
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'sqs:SendMessage',
        'sqs:SendMessage',
      ],
    ],
    [
      'InitiateRole',
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
    ],
    [
      'ReconcileRole',
      [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'events:PutEvents',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'sqs:SendMessage',
      ],
    ],
    ['PolicySchedulesRole', ['lambda:InvokeFunction', 'sqs:SendMessage']],
    ['ReconcileScheduleRole', ['lambda:InvokeFunction', 'sqs:SendMessage']],
  ])('given the %s, when synthesized, then it holds exactly these actions', (role, actions) => {
    expect(actionsOf(role)).toEqual(actions);
  });

  test.each([
    'DispatchRole',
    'InitiateRole',
    'ReconcileRole',
    'PolicySchedulesRole',
    'ReconcileScheduleRole',
  ])(
    'given the %s, when synthesized, then each statement names one resource, or named table indexes',
    (role) => {
      for (const statement of statementsOf(role)) {
        const resourceList = [statement.Resource].flat();
        if (resourceList.length > 1) {
          expect(statement.Action).toBe('dynamodb:Query');
          const names = resourceList.map(
            (resource) => JSON.stringify(resource).match(/\/index\/([^"]+)"/)?.[1],
          );
          expect(names).toEqual(LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => index.indexName));
        } else {
          expect(resourceList).toHaveLength(1);
        }
      }
    },
  );

  test('given the secret referenced by name, when synthesized, then GetSecretValue names its partial ARN and six wildcards', () => {
    const statement = statementsOf('DispatchRole').find((s) => s.Action === 'secretsmanager:GetSecretValue')!;
    expect(JSON.stringify(statement.Resource)).toContain(`:secret:${TOKEN_SECRET_NAME}-??????`);
  });

  test('given the scheduler roles, when synthesized, then only this stack schedule group in this account may assume them', () => {
    const roles = Object.entries(resources).filter(
      ([id, resource]) =>
        resource.Type === 'AWS::IAM::Role' && /PolicySchedulesRole|ReconcileScheduleRole/.test(id),
    );
    expect(roles).toHaveLength(2);
    for (const [, role] of roles) {
      expect(role.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                'aws:SourceArn': { 'Fn::GetAtt': [expect.stringMatching(/Schedules/), 'Arn'] },
              },
            },
          },
        ],
      });
    }
  });

  test('given the function roles, when synthesized, then none carries a managed policy', () => {
    for (const role of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('alarms and dashboard', () => {
  test.each([
    ['WorkDeadLetters', 'ApproximateNumberOfMessagesVisible', 'AWS/SQS'],
    ['SchedulerDeadLetters', 'ApproximateNumberOfMessagesVisible', 'AWS/SQS'],
    ['DispatchErrors', 'Errors', 'AWS/Lambda'],
    ['InitiateErrors', 'Errors', 'AWS/Lambda'],
    ['ReconcileErrors', 'Errors', 'AWS/Lambda'],
    ['ActionsFailed', RECONCILE_METRICS.actionsFailed, RECONCILE_METRICS.namespace],
    ['ActionsTimedOut', RECONCILE_METRICS.actionsTimedOut, RECONCILE_METRICS.namespace],
    ['ReconcileLag', RECONCILE_METRICS.reconcileLagSeconds, RECONCILE_METRICS.namespace],
  ])('given the stack, when synthesized, then alarm %s watches %s in %s', (id, metricName, namespace) => {
    const alarms = Object.entries(resources).filter(
      ([resourceId, resource]) => resource.Type === 'AWS::CloudWatch::Alarm' && resourceId.includes(id),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({ MetricName: metricName, Namespace: namespace });
  });

  test('given the reconcile metrics, when alarmed, then they carry the service dimension the handler emits', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: RECONCILE_METRICS.actionsFailed,
      Dimensions: [{ Name: 'service', Value: RECONCILE_METRICS.service }],
    });
  });

  test('given no alarm topic, when synthesized, then the alarms have no actions', () => {
    for (const alarm of ofType('AWS::CloudWatch::Alarm'))
      expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  test('given an alarm topic (the deprecated alias of notifications.topic), when synthesized, then every alarm notifies it on ALARM and OK', () => {
    const { template: other } = synthScheduler((stack) => ({ alarmTopic: new sns.Topic(stack, 'Alarms') }));
    const alarms = Object.values(other.findResources('AWS::CloudWatch::Alarm'));
    // The eight, and the one on the notifications' own dead-letter queue.
    expect(alarms).toHaveLength(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
  });
});

describe('secrets', () => {
  test('given a token in the environment at synth, when synthesized, then it appears nowhere in the template', () => {
    const canary = `dop_v1_${randomBytes(32).toString('hex')}`;
    const saved = process.env.DIGITALOCEAN_TOKEN;
    process.env.DIGITALOCEAN_TOKEN = canary;
    try {
      const json = JSON.stringify(synthScheduler().template.toJSON());
      expect(json).not.toContain(canary);
      expect(json).not.toMatch(/dop_v1_[0-9a-f]{64}/);
      expect(json).toContain(TOKEN_SECRET_NAME);
    } finally {
      if (saved === undefined) delete process.env.DIGITALOCEAN_TOKEN;
      else process.env.DIGITALOCEAN_TOKEN = saved;
    }
  });

  test('given the props type, when a token is passed as a prop, then it does not type-check', () => {
    const canary = `dop_v1_${randomBytes(32).toString('hex')}`;
    // @ts-expect-error the token is never a prop: only the secret that holds it is.
    const attempt = () => buildScheduler({ token: canary });
    expect(JSON.stringify(Template.fromStack(buildScheduler().stack).toJSON())).not.toContain(canary);
    expect(attempt).toBeInstanceOf(Function);
  });
});

describe('outputs', () => {
  test('given the construct, when built, then it exposes one schedule per policy by name', () => {
    expect([...synthesized.scheduler.schedules.keys()]).toEqual(policies.map((policy) => policy.name));
  });
});
