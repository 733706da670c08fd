import { formatTeamScope } from '../../../lambdas/core/ledger/team-scope';
import {
  parseLambdaEnvironment,
  parseTeamScopeVariable,
  TEAM_SCOPE_VARIABLE,
} from '../../../lambdas/handlers/runtime/lambda-environment';

describe('parseLambdaEnvironment', () => {
  it('parses and converts the variables a handler asks for', () => {
    const env = parseLambdaEnvironment(['tableName', 'auditRetentionDays'], {
      LEDGER_TABLE_NAME: 'ledger',
      AUDIT_RETENTION_DAYS: '400',
    });
    expect(env).toEqual({ tableName: 'ledger', auditRetentionDays: 400 });
  });

  it('lists every missing or malformed variable at once, with what arrived', () => {
    const parsing = () =>
      parseLambdaEnvironment(['tableName', 'workQueueUrl', 'tokenSecretArn'], {
        WORK_QUEUE_URL: 'not a url',
        DIGITALOCEAN_TOKEN_SECRET_ARN: 'droplet-scheduler/token',
      });
    expect(parsing).toThrow(/LEDGER_TABLE_NAME: .*got: nothing/);
    expect(parsing).toThrow(/WORK_QUEUE_URL: .*got: "not a url"/);
    expect(parsing).toThrow(
      /DIGITALOCEAN_TOKEN_SECRET_ARN: expected a Secrets Manager ARN, got: "droplet-scheduler\/token"/,
    );
  });
});

describe('parseTeamScopeVariable', () => {
  it.each([
    ['absent', {}, undefined],
    ['empty', { RECONCILE_TEAMS: '' }, undefined],
    ["a team unit's", { RECONCILE_TEAMS: 'only:web-shop' }, { only: ['web-shop'] }],
    ["the default unit's", { RECONCILE_TEAMS: 'except:data,web-shop' }, { except: ['data', 'web-shop'] }],
  ])('given the variable %s, then the reconciler follows %j', (_case, env, scope) => {
    expect(parseTeamScopeVariable(env)).toEqual(scope);
  });

  it('given what the construct writes, when read back, then it is the same scope', () => {
    const scope = { except: ['web-shop', 'data'] };
    expect(parseTeamScopeVariable({ [TEAM_SCOPE_VARIABLE]: formatTeamScope(scope) })).toEqual({
      except: ['data', 'web-shop'],
    });
  });

  it.each(['web-shop', 'only:', 'only:Web_Shop', 'all:web-shop'])(
    'given %p, then the cold start fails naming the variable, the value and the expected form',
    (value) => {
      expect(() => parseTeamScopeVariable({ RECONCILE_TEAMS: value })).toThrow(
        new RegExp(`RECONCILE_TEAMS: expected only:<team>.* or except:<team>.*, got: "${value}"`),
      );
    },
  );
});
