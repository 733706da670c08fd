import { parseLambdaEnvironment } from '../../../lambdas/handlers/runtime/lambda-environment';

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
