import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicyFile } from '../../lambdas/core/policy/load-policies';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';

const root = path.resolve(__dirname, '..', '..');
const outdir = mkdtempSync(path.join(tmpdir(), 'droplet-scheduler-app-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** `cdk synth` as a user runs it: offline, no credentials, bounded in time. */
function cdkSynth(...context: string[]) {
  return cdkSynthIn({}, ...context);
}

function cdkSynthIn(env: NodeJS.ProcessEnv, ...context: string[]) {
  const result = spawnSync(
    'npx',
    [
      'cdk',
      'synth',
      '-q',
      '--no-notices',
      '--no-version-reporting',
      '--output',
      outdir,
      ...context.flatMap((entry) => ['-c', entry]),
    ],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 90_000,
      env: {
        ...process.env,
        CDK_DISABLE_VERSION_CHECK: '1',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        ...env,
      },
    },
  );
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('bin/app.ts through cdk synth', () => {
  test('given a policy file with a misspelled time zone, when synthesized, then it exits non-zero with the loader message', async () => {
    const file = 'test/fixtures/bad-policies/bad-timezone.yaml';
    const expected = await loadPolicyFile(file).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(expected).toBeDefined();

    const { status, stderr } = cdkSynth(`policies=${file}`);

    expect(status).not.toBe(0);
    expect(stderr).toContain(expected);
    expect(stderr).toContain(`${file}:5:15 policies[0].timezone`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('given a valid policy file, when synthesized, then the template has one schedule per policy and the reconcile schedule', async () => {
    const file = 'test/fixtures/good-policies/every-field.yaml';
    const { policies } = await loadPolicyFile(path.join(root, file));

    const { status, stderr } = cdkSynth(
      `policies=${file}`,
      `${STUB_BUNDLING_CONTEXT}=true`,
      'stackName=AppTest',
    );

    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const template = JSON.parse(readFileSync(path.join(outdir, 'AppTest.template.json'), 'utf8')) as {
      Resources: Record<
        string,
        { Type: string; Properties: { Name?: string; ScheduleExpressionTimezone?: string } }
      >;
    };
    const schedules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(policies.length + 1);
    expect(
      schedules
        .filter((s) => s.Properties.Name !== undefined)
        .map((s) => s.Properties.Name)
        .sort(),
    ).toEqual(policies.map((policy) => policy.name).sort());
    for (const schedule of schedules) expect(schedule.Properties.ScheduleExpressionTimezone).toBeDefined();
  });

  test('given the notification context keys, when synthesized, then the emails subscribe, the imported topic and the webhook receive the rules, and the alarms notify the topic', () => {
    const topicArn = 'arn:aws:sns:eu-central-1:123456789012:ops-alerts';
    // The region the topic is in: rules and alarms publish only within their own region.
    const { status, stderr } = cdkSynthIn(
      { AWS_REGION: 'eu-central-1' },
      `${STUB_BUNDLING_CONTEXT}=true`,
      'stackName=NotifyTest',
      'notifyEmails=ops@example.com,oncall@example.com',
      `notifyTopicArn=${topicArn}`,
      'notifyWebhookSecret=droplet-scheduler/slack-webhook',
    );

    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const template = JSON.parse(readFileSync(path.join(outdir, 'NotifyTest.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
    expect(
      ofType('AWS::SNS::Subscription').map((s) => [s.Properties.TopicArn, s.Properties.Endpoint]),
    ).toEqual(
      expect.arrayContaining([
        [topicArn, 'ops@example.com'],
        [topicArn, 'oncall@example.com'],
      ]),
    );
    expect(ofType('AWS::Events::ApiDestination')).toHaveLength(1);
    for (const alarm of ofType('AWS::CloudWatch::Alarm'))
      expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
    const actionRules = ofType('AWS::Events::Rule').filter((rule) =>
      (rule.Properties.EventPattern as { source: string[] }).source.includes('droplet-scheduler'),
    );
    expect(actionRules).toHaveLength(2);
    for (const rule of actionRules) {
      expect((rule.Properties.Targets as { Arn: unknown }[]).map((target) => target.Arn)).toContain(topicArn);
    }
  });

  test('given -c teams as JSON, when synthesized, then each team unit reads its own secret and its policies invoke its dispatch', () => {
    const { status, stderr } = cdkSynth(
      'policies=test/fixtures/good-policies/teams.yaml',
      `${STUB_BUNDLING_CONTEXT}=true`,
      'stackName=TeamsTest',
      'teams={"web-shop":{"tokenSecretName":"teams/web-shop-token","initiateConcurrency":3},"data":{"tokenSecretName":"teams/data-token"}}',
    );

    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const template = JSON.parse(readFileSync(path.join(outdir, 'TeamsTest.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resources = Object.entries(template.Resources);
    const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(9);
    const json = JSON.stringify(template);
    expect(json).toContain(':secret:teams/web-shop-token-??????');
    expect(json).toContain(':secret:teams/data-token-??????');
    const schedule = resources.find(
      ([, r]) => r.Type === 'AWS::Scheduler::Schedule' && r.Properties.Name === 'shop-staging-off',
    )![1];
    const [dispatch] = (schedule.Properties.Target as { Arn: { 'Fn::GetAtt': [string] } }).Arn['Fn::GetAtt'];
    expect(dispatch).toMatch(/^DropletSchedulerTeamwebshopDispatchFunction/);
  });

  test('given -c teams that is not JSON, when synthesized, then it exits 1 with one line naming the key and the value', () => {
    const { status, stderr } = cdkSynth(`${STUB_BUNDLING_CONTEXT}=true`, 'teams={web-shop:1}');

    expect(status).toBe(1);
    expect(stderr).toContain('-c teams: expected JSON of teams by name, such as {"web-shop"');
    expect(stderr).toContain("got: '{web-shop:1}'");
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
