import { DropletSchedulerError } from '../lambdas/core/errors/droplet-scheduler-error';

/** The simulator was started or driven with a value it cannot use (an option, a flag, an admin call). */
export class SimulatorUsageError extends DropletSchedulerError {
  constructor(message: string) {
    super('simulator_usage', message);
  }
}
