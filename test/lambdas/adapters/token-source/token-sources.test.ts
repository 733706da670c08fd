import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { EnvironmentTokenSource } from '../../../../lambdas/adapters/local/environment-token-source';
import { SecretsManagerTokenSource } from '../../../../lambdas/adapters/secrets/secrets-manager-token-source';
import { ConfigurationError } from '../../../../lambdas/core/errors/configuration-error';

const fakeToken = () => `dop_v1_${'c0ffee'.repeat(11).slice(0, 64)}`;

describe('SecretsManagerTokenSource', () => {
  it('reads the secret once per cold start, however many callers ask', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: fakeToken() });
    const source = new SecretsManagerTokenSource({
      client: new SecretsManagerClient({}),
      secretId: 'droplet-scheduler/digitalocean-token',
    });

    const tokens = await Promise.all([source.getToken(), source.getToken(), source.getToken()]);

    expect(new Set(tokens)).toEqual(new Set([fakeToken()]));
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('accepts JSON with a token field', async () => {
    mockClient(SecretsManagerClient)
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ token: fakeToken() }) });
    const source = new SecretsManagerTokenSource({ client: new SecretsManagerClient({}), secretId: 's' });
    await expect(source.getToken()).resolves.toBe(fakeToken());
  });

  it('refuses an empty secret, naming it, and asks again next time', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: '  ' })
      .resolves({ SecretString: fakeToken() });
    const source = new SecretsManagerTokenSource({
      client: new SecretsManagerClient({}),
      secretId: 'my/secret',
    });

    await expect(source.getToken()).rejects.toThrow(
      'expected secret my/secret to hold the DigitalOcean token',
    );
    await expect(source.getToken()).resolves.toBe(fakeToken());
  });
});

describe('EnvironmentTokenSource', () => {
  it('reads DIGITALOCEAN_TOKEN', async () => {
    await expect(new EnvironmentTokenSource({ DIGITALOCEAN_TOKEN: fakeToken() }).getToken()).resolves.toBe(
      fakeToken(),
    );
  });

  it('says where the token must come from when it is missing', async () => {
    const reading = new EnvironmentTokenSource({}).getToken();
    await expect(reading).rejects.toBeInstanceOf(ConfigurationError);
    await expect(reading).rejects.toThrow('DIGITALOCEAN_TOKEN');
  });
});
