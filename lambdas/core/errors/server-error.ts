import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** HTTP 5xx. On a POST the action may or may not have started (`outcomeUnknown`). */
export class ServerError extends DigitalOceanError {
  override name = 'ServerError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('server_error', details);
  }
}
