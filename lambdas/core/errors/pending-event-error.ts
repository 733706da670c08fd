import { DigitalOceanError, type DigitalOceanErrorDetails } from './digitalocean-error';

/** HTTP 422 "Droplet already has a pending event.": the droplet is busy with another action; try again once it settles. */
export class PendingEventError extends DigitalOceanError {
  override name = 'PendingEventError' as const;

  constructor(details: DigitalOceanErrorDetails) {
    super('pending_event', details);
  }
}
