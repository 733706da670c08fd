import { DropletSchedulerError } from '../../lambdas/core/errors/droplet-scheduler-error';

/**
 * DigitalOcean could not be reached (no response, or only 5xx) for longer than the command was
 * told to wait: a runtime failure, exit 2. The message names the URL, the last cause and the flag.
 */
export class DigitalOceanUnreachableError extends DropletSchedulerError {
  override readonly name = 'DigitalOceanUnreachableError' as const;

  constructor(message: string) {
    super('digitalocean_unreachable', message);
  }
}
