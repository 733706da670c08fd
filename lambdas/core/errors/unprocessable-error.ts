import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** Any other HTTP 422: DigitalOcean refused the request as it stands (a bad parameter, a precondition not met). */
export class UnprocessableError extends DigitalOceanError {
  override name = 'UnprocessableError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('unprocessable', details);
  }
}
