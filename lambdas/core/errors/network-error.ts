import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** No response: refused, reset, timed out. `outcomeUnknown` says whether a POST could have been carried out. */
export class NetworkError extends DigitalOceanError {
  override name = 'NetworkError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('network_error', details);
  }
}
