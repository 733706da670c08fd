import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** HTTP 404: the droplet, action or snapshot does not exist (or the token cannot see it). */
export class NotFoundError extends DigitalOceanError {
  override name = 'NotFoundError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('not_found', details);
  }
}
