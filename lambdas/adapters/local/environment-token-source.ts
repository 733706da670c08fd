import { ConfigurationError } from '../../core/errors/configuration-error';
import type { TokenSource } from '../../core/ports/token-source';

/** Local mode's token: only ever from `DIGITALOCEAN_TOKEN`, never a flag, so it stays out of shell history. */
export class EnvironmentTokenSource implements TokenSource {
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async getToken(): Promise<string> {
    const token = this.env.DIGITALOCEAN_TOKEN?.trim();
    if (!token) {
      throw new ConfigurationError(
        'expected the DigitalOcean token in DIGITALOCEAN_TOKEN, got: nothing (export DIGITALOCEAN_TOKEN=...; it is never read from a flag)',
      );
    }
    return token;
  }
}
