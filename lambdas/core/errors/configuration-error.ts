import { DropletSchedulerError } from './droplet-scheduler-error';

/** A required setting (environment variable, constructor option, flag) is missing or malformed. */
export class ConfigurationError extends DropletSchedulerError {
  override name = 'ConfigurationError' as const;

  constructor(message: string) {
    super('configuration_invalid', message);
  }
}
