import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DropletSchedulerStack } from '../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';
import { samplePolicies, samplePoliciesWithTeam } from './support/sample-policies';
import { makePolicy } from '../support/make-policy';

let template: Template;

beforeAll(() => {
  const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new DropletSchedulerStack(app, 'Deployed', {
    policies: samplePolicies(),
    tokenSecretName: 'team/do-token',
  });
  template = Template.fromStack(stack);
});

describe('DropletSchedulerStack', () => {
  test.each([
    'LedgerTableName',
    'DispatchFunctionName',
    'ScheduleGroupName',
    'SchedulerDeadLetterQueueUrl',
    'WorkDeadLetterQueueUrl',
    'DashboardName',
  ])('given the stack, when synthesized, then it outputs %s for the operator', (name) => {
    expect(Object.keys(template.findOutputs(name))).toEqual([name]);
  });

  test('given a secret name, when synthesized, then the functions read that secret by partial ARN and never take its value', () => {
    const json = JSON.stringify(template.toJSON());
    expect(json).toContain(':secret:team/do-token-??????');
    expect(json).toContain(':secret:team/do-token"');
    expect(json).not.toContain('SecretString');
  });

  test.each([
    [
      'region',
      'arn:aws:sns:us-east-1:123456789012:ops',
      /stack's region \(eu-central-1\), got: 'arn:aws:sns:us-east-1:123456789012:ops'/,
    ],
    [
      'account',
      'arn:aws:sns:eu-central-1:999999999999:ops',
      /stack's account \(123456789012\), got: 'arn:aws:sns:eu-central-1:999999999999:ops'/,
    ],
  ])(
    'given a notification topic in another %s, when constructed, then it is refused naming the topic',
    (_what, arn, message) => {
      const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
      expect(
        () =>
          new DropletSchedulerStack(app, 'Elsewhere', {
            env: { account: '123456789012', region: 'eu-central-1' },
            policies: samplePolicies(),
            tokenSecretName: 'team/do-token',
            notificationTopicArn: arn,
          }),
      ).toThrow(message);
    },
  );

  test('given a notification topic of its own region and account, when synthesized, then the alarms notify it', () => {
    const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
    const arn = 'arn:aws:sns:eu-central-1:123456789012:ops';
    const stack = new DropletSchedulerStack(app, 'Here', {
      env: { account: '123456789012', region: 'eu-central-1' },
      policies: samplePolicies(),
      tokenSecretName: 'team/do-token',
      notificationTopicArn: arn,
    });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([arn]);
  });

  test('given teams by secret name, when synthesized, then each team unit reads its own secret and has its own outputs', () => {
    const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
    const stack = new DropletSchedulerStack(app, 'Teams', {
      policies: samplePoliciesWithTeam(),
      tokenSecretName: 'team/do-token',
      teams: { 'web-shop': { tokenSecretName: 'teams/web-shop-token', initiateConcurrency: 3 } },
    });
    const teamTemplate = Template.fromStack(stack);
    const json = JSON.stringify(teamTemplate.toJSON());
    expect(json).toContain(':secret:teams/web-shop-token-??????');
    expect(Object.keys(teamTemplate.findOutputs('*')).sort()).toEqual(
      [
        'LedgerTableName',
        'DispatchFunctionName',
        'ScheduleGroupName',
        'SchedulerDeadLetterQueueUrl',
        'WorkDeadLetterQueueUrl',
        'DashboardName',
        'DispatchFunctionNameWebShop',
        'WorkDeadLetterQueueUrlWebShop',
      ].sort(),
    );
    expect(stack.scheduler.teams.get('web-shop')).toBeDefined();
    teamTemplate.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 3 });
  });

  test('given two team names that differ only in their runs of "-", when constructed, then they are refused naming both', () => {
    const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
    const policy = (team: string) =>
      makePolicy({
        name: `off-${team.length}`,
        team,
        targets: { tag: 'shop' },
        action: { type: 'shutdown' },
      });
    expect(
      () =>
        new DropletSchedulerStack(app, 'Clash', {
          policies: [policy('web-shop'), policy('web--shop')],
          tokenSecretName: 'team/do-token',
          teams: { 'web-shop': { tokenSecretName: 'a' }, 'web--shop': { tokenSecretName: 'b' } },
        }),
    ).toThrow(
      /^teams: expected team names that differ in more than their runs of "-" .*got: "web-shop" and "web--shop"$/,
    );
  });
});
