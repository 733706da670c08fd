import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../../core/errors/configuration-error';
import type { TokenSource } from '../../core/ports/token-source';

export interface SecretsManagerTokenSourceOptions {
  readonly client: SecretsManagerClient;
  /** The secret's ARN or name. Its value is the token itself, or JSON with a `token` field. */
  readonly secretId: string;
}

/**
 * Reads the DigitalOcean token once per cold start and keeps the promise, so that a warm Lambda
 * never calls Secrets Manager again and concurrent first callers share one request.
 */
export class SecretsManagerTokenSource implements TokenSource {
  private cached?: Promise<string>;

  constructor(private readonly options: SecretsManagerTokenSourceOptions) {}

  getToken(): Promise<string> {
    this.cached ??= this.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  private async load(): Promise<string> {
    const result = await this.options.client.send(
      new GetSecretValueCommand({ SecretId: this.options.secretId }),
    );
    const value = result.SecretString?.trim();
    if (!value) {
      throw new ConfigurationError(
        `expected secret ${this.options.secretId} to hold the DigitalOcean token, got: an empty value`,
      );
    }
    return value.startsWith('{') ? fromJson(value, this.options.secretId) : value;
  }
}

function fromJson(value: string, secretId: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigurationError(
      `expected secret ${secretId} to be the token or JSON with a "token" field, got: malformed JSON`,
    );
  }
  const token = (parsed as { token?: unknown }).token;
  if (typeof token !== 'string' || token.length === 0) {
    throw new ConfigurationError(
      `expected secret ${secretId} to have a non-empty "token" field, got: ${typeof token}`,
    );
  }
  return token;
}
