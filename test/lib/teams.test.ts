import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { loadPolicies } from '../../lambdas/core/policy/load-policies';
import type { Policy } from '../../lambdas/core/policy/policy';
import {
  ENVIRONMENT_VARIABLES,
  TEAM_SCOPE_VARIABLE,
} from '../../lambdas/handlers/runtime/lambda-environment';
import { DropletScheduler, type DropletSchedulerProps, type SchedulerUnit } from '../../lib';
import { STUB_BUNDLING_CONTEXT } from '../../lib/handler-bundling';
import { samplePolicies } from './support/sample-policies';
import { TOKEN_SECRET_NAME } from './support/synth-scheduler';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown };

/** The sample policies (no team), and policies of web-shop, data and a team without a unit of its own. */
function teamPolicies(): Policy[] {
  const { policies } = loadPolicies(
    `
defaults:
  timezone: UTC
policies:
  - name: shop-staging-off
    team: web-shop
    schedule: cron(0 20 ? * FRI *)
    targets: { tag: shop-staging }
    action: { type: shutdown, fallback: power_off }
  - name: shop-nightly
    team: web-shop
    schedule: cron(0 2 * * ? *)
    targets: { tag: shop }
    action: { type: snapshot }
  - name: data-reboot
    team: data
    schedule: cron(0 4 * * ? *)
    targets: { tag: etl }
    action: { type: reboot }
  - name: unlisted-team
    team: marketing
    schedule: cron(0 5 * * ? *)
    targets: { tag: ads }
    action: { type: reboot }
`,
    'team-policies.yaml',
  );
  return [...samplePolicies(), ...policies];
}

interface Built {
  readonly stack: Stack;
  readonly scheduler: DropletScheduler;
  readonly template: Template;
  readonly secrets: Record<'default' | 'web-shop' | 'data', secretsmanager.ISecret>;
}

function build(
  teams: (secrets: Built['secrets']) => DropletSchedulerProps['teams'] = (secrets) => ({
    'web-shop': { tokenSecret: secrets['web-shop'], initiateConcurrency: 4 },
    data: { tokenSecret: secrets.data },
  }),
  policies: Policy[] = teamPolicies(),
): Built {
  const app = new App({ context: { [STUB_BUNDLING_CONTEXT]: true } });
  const stack = new Stack(app, 'Teams', { env: { account: '123456789012', region: 'eu-central-1' } });
  const secrets = {
    default: secretsmanager.Secret.fromSecretNameV2(stack, 'Token', TOKEN_SECRET_NAME),
    'web-shop': secretsmanager.Secret.fromSecretNameV2(stack, 'ShopToken', 'teams/web-shop-token'),
    data: secretsmanager.Secret.fromSecretNameV2(stack, 'DataToken', 'teams/data-token'),
  };
  const scheduler = new DropletScheduler(stack, 'DropletScheduler', {
    policies,
    tokenSecret: secrets.default,
    teams: teams(secrets),
  });
  return { stack, scheduler, template: Template.fromStack(stack), secrets };
}

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

let built: Built;
let resources: Record<string, Resource>;
let units: Record<'default' | 'web-shop' | 'data', SchedulerUnit>;

beforeAll(() => {
  built = build();
  resources = built.template.toJSON().Resources as Record<string, Resource>;
  units = {
    default: built.scheduler.defaultUnit,
    'web-shop': built.scheduler.teams.get('web-shop')!,
    data: built.scheduler.teams.get('data')!,
  };
});

const unitNames = ['default', 'web-shop', 'data'] as const;

describe('a DropletScheduler with two teams', () => {
  test.each([
    ['AWS::Lambda::Function', 9],
    ['AWS::Lambda::EventSourceMapping', 3],
    ['AWS::Logs::LogGroup', 9],
    // Three work queues, their three DLQs, and the one scheduler DLQ.
    ['AWS::SQS::Queue', 7],
    ['AWS::DynamoDB::Table', 1],
    ['AWS::Scheduler::ScheduleGroup', 1],
    // One per policy and one reconcile schedule per unit.
    ['AWS::Scheduler::Schedule', teamPolicies().length + 3],
    // The eight, and each team's work DLQ and three function error alarms.
    ['AWS::CloudWatch::Alarm', 8 + 2 * 4],
    ['AWS::CloudWatch::Dashboard', 1],
  ])('given two teams, when synthesized, then there are %s x %i', (type, count) => {
    built.template.resourceCountIs(type, count);
  });

  test('given two teams, when built, then the construct exposes each team unit by name and the default unit as before', () => {
    expect([...built.scheduler.teams.keys()]).toEqual(['web-shop', 'data']);
    expect(built.scheduler.functions).toBe(built.scheduler.defaultUnit.functions);
    expect(built.scheduler.workQueue).toBe(built.scheduler.defaultUnit.workQueue);
    expect(units['web-shop'].team).toBe('web-shop');
    expect(units['web-shop'].workQueue).not.toBe(built.scheduler.workQueue);
  });

  test.each([
    ['web-shop', 4, '0.2'],
    ['data', 2, '0.4'],
    ['default', 2, '0.4'],
  ] as const)(
    'given team %s, when synthesized, then its initiate reserves %i instances, its queue source matches, and each paces at %s of its token',
    (name, concurrency, share) => {
      const unit = units[name];
      const initiate = resources[logicalId(built.stack, unit.functions.initiate)]!;
      expect(initiate.Properties.ReservedConcurrentExecutions).toBe(concurrency);
      const variables = (initiate.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables[ENVIRONMENT_VARIABLES.rateShare]).toBe(share);
      expect(variables[ENVIRONMENT_VARIABLES.workQueueUrl]).toEqual({
        Ref: logicalId(built.stack, unit.workQueue),
      });
      built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(built.stack, unit.functions.initiate) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(built.stack, unit.workQueue), 'Arn'] },
        ScalingConfig: { MaximumConcurrency: concurrency },
      });
    },
  );

  test("given two teams, when synthesized, then each token secret is readable by its own unit's three roles and no other", () => {
    const readers = new Map<string, Set<string>>();
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      const roles = (resource.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
      const statements = (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      for (const statement of statements.filter((s) =>
        [s.Action].flat().includes('secretsmanager:GetSecretValue'),
      )) {
        const secret = JSON.stringify(statement.Resource).match(/:secret:([^"]+)-\?{6}/)?.[1] ?? 'unknown';
        for (const role of roles) readers.set(secret, new Set([...(readers.get(secret) ?? []), role]));
      }
    }
    const rolesOf = (unit: SchedulerUnit) =>
      new Set(Object.values(unit.functions).map((fn) => logicalId(built.stack, fn.role! as never)));
    expect(readers).toEqual(
      new Map([
        [TOKEN_SECRET_NAME, rolesOf(units.default)],
        ['teams/web-shop-token', rolesOf(units['web-shop'])],
        ['teams/data-token', rolesOf(units.data)],
      ]),
    );
    for (const name of unitNames) {
      const secret = built.stack.resolve(built.secrets[name].secretArn);
      for (const fn of Object.values(units[name].functions)) {
        const variables = (
          resources[logicalId(built.stack, fn)]!.Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables;
        expect(variables[ENVIRONMENT_VARIABLES.tokenSecretArn]).toEqual(secret);
      }
    }
  });

  test.each([
    ['shop-staging-off', 'web-shop'],
    ['shop-nightly', 'web-shop'],
    ['data-reboot', 'data'],
    ['nightly-snapshots', 'default'],
    // A team without a unit of its own is served by the default unit, with the top-level token.
    ['unlisted-team', 'default'],
  ] as const)(
    "given policy %s, when synthesized, then its schedule invokes the %s unit's dispatch through a role that may invoke only that",
    (policy, unit) => {
      const dispatch = logicalId(built.stack, units[unit].functions.dispatch);
      const schedule = Object.values(
        built.template.findResources('AWS::Scheduler::Schedule', { Properties: { Name: policy } }),
      )[0]!;
      const target = schedule.Properties.Target as {
        Arn: unknown;
        RoleArn: { 'Fn::GetAtt': [string, string] };
      };
      expect(target.Arn).toEqual({ 'Fn::GetAtt': [dispatch, 'Arn'] });
      const role = target.RoleArn['Fn::GetAtt'][0];
      const invokes = Object.values(resources)
        .filter(
          (resource) =>
            resource.Type === 'AWS::IAM::Policy' &&
            (resource.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
        )
        .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((statement) => statement.Action === 'lambda:InvokeFunction');
      expect(invokes.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [dispatch, 'Arn'] }]);
    },
  );

  test.each([
    ['web-shop', 'only:web-shop'],
    ['data', 'only:data'],
    ['default', 'except:data,web-shop'],
  ] as const)(
    'given the %s unit, when synthesized, then its reconciler is told %s and its other functions nothing',
    (name, scope) => {
      const unit = units[name];
      const variablesOf = (fn: SchedulerUnit['functions']['dispatch']) =>
        (
          resources[logicalId(built.stack, fn)]!.Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables;
      expect(variablesOf(unit.functions.reconcile)[TEAM_SCOPE_VARIABLE]).toBe(scope);
      expect(variablesOf(unit.functions.dispatch)).not.toHaveProperty(TEAM_SCOPE_VARIABLE);
      expect(variablesOf(unit.functions.initiate)).not.toHaveProperty(TEAM_SCOPE_VARIABLE);
    },
  );

  test.each(['web-shop', 'data'] as const)(
    'given team %s, when synthesized, then its reconcile schedule invokes its own reconciler every minute',
    (name) => {
      built.template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 minute)',
        Description: Match.stringLikeRegexp(`\\(team ${name}\\)$`),
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(built.stack, units[name].functions.reconcile), 'Arn'] },
        }),
      });
    },
  );

  test.each(['web-shop', 'data'] as const)(
    "given team %s, when synthesized, then alarms watch its work DLQ and each of its functions' errors, saying which team",
    (name) => {
      const unit = units[name];
      const alarms = Object.values(
        built.template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmDescription: Match.stringLikeRegexp(`^Team ${name}: `) },
        }),
      );
      const watched = alarms.map((alarm) => JSON.stringify(alarm.Properties.Dimensions)).sort();
      expect(watched).toEqual(
        [unit.workDeadLetterQueue, unit.functions.dispatch, unit.functions.initiate, unit.functions.reconcile]
          .map((construct) => {
            const id = logicalId(built.stack, construct);
            return construct === unit.workDeadLetterQueue
              ? [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]
              : [{ Name: 'FunctionName', Value: { Ref: id } }];
          })
          .map((dimensions) => JSON.stringify(dimensions))
          .sort(),
      );
    },
  );

  test('given two teams, when synthesized, then the default unit keeps the logical ids it has without teams', () => {
    const withoutTeams = build(() => undefined, samplePolicies());
    const defaultIds = (b: Built) => {
      const unit = b.scheduler.defaultUnit;
      return [
        unit.workQueue,
        unit.workDeadLetterQueue,
        ...Object.values(unit.functions),
        unit.reconcileSchedule,
      ].map((construct) => logicalId(b.stack, construct));
    };
    expect(defaultIds(built)).toEqual(defaultIds(withoutTeams));
    // The ids of deployments made before units existed.
    expect(defaultIds(withoutTeams)).toEqual([
      'DropletSchedulerWorkQueue1A79C325',
      'DropletSchedulerWorkDeadLetterQueue44EB2682',
      'DropletSchedulerDispatchFunction1E34687D',
      'DropletSchedulerInitiateFunction16BDC410',
      'DropletSchedulerReconcileFunction3F15CE3B',
      'DropletSchedulerReconcileSchedule2F97B6D9',
    ]);
  });

  test('given no teams, when synthesized, then the reconciler has no team scope and there is one unit', () => {
    const { template, scheduler } = build(() => undefined, samplePolicies());
    template.resourceCountIs('AWS::Lambda::Function', 3);
    expect(scheduler.teams.size).toBe(0);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
      expect((fn.Properties.Environment as { Variables: object }).Variables).not.toHaveProperty(
        TEAM_SCOPE_VARIABLE,
      );
    }
  });

  test('given a team that reuses the top-level secret, when synthesized, then a warning says it loses its isolation', () => {
    const { stack } = build((secrets) => ({ 'web-shop': { tokenSecret: secrets.default } }));
    Annotations.fromStack(stack).hasWarning(
      '/Teams/DropletScheduler',
      Match.stringLikeRegexp('teams.web-shop.tokenSecret: the same secret as tokenSecret'),
    );
  });
});

describe('teams refused at synth', () => {
  test.each([
    [
      'a key that is not a team name',
      (secrets: Built['secrets']) => ({ 'Web Shop': { tokenSecret: secrets['web-shop'] } }),
      /^teams: expected each key to be a team name \(1 to 32 lower-case letters, digits or "-".*\), got: "Web Shop"$/,
    ],
    [
      'the default team',
      (secrets: Built['secrets']) => ({ default: { tokenSecret: secrets['web-shop'] } }),
      /^teams: expected team names other than "default", .* got: "default"$/,
    ],
    [
      'a team no policy names',
      (secrets: Built['secrets']) => ({ 'web-shpo': { tokenSecret: secrets['web-shop'] } }),
      /^teams: expected each team to be the team of at least one policy \(the policies name: data, marketing, web-shop\), got: "web-shpo"$/,
    ],
    [
      'a team without its secret',
      () => ({ 'web-shop': {} as never }),
      /^teams\.web-shop\.tokenSecret: expected a Secrets Manager secret .*, got: undefined$/,
    ],
    [
      'an initiate concurrency of 1',
      (secrets: Built['secrets']) => ({ data: { tokenSecret: secrets.data, initiateConcurrency: 1 } }),
      /^teams\.data\.initiateConcurrency: expected a whole number from 2 to 1000 .*, got: 1$/,
    ],
  ])(
    'given %s, when constructed, then it is refused with one message naming the key and the value',
    (_case, teams, message) => {
      expect(() => build(teams)).toThrow(message);
    },
  );
});
