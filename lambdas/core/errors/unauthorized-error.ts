import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** HTTP 401: the token is missing, wrong, revoked or lacks the scope. */
export class UnauthorizedError extends DigitalOceanError {
  override name = 'UnauthorizedError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('unauthorized', details);
  }
}
