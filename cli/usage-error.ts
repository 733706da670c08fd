import { DropletSchedulerError } from '../lambdas/core/errors/droplet-scheduler-error';

/** A flag or argument the CLI cannot use; the message names it, what arrived and what was expected. */
export class UsageError extends DropletSchedulerError {
  constructor(flag: string, received: unknown, expected: string) {
    super(
      'usage',
      `${flag}: expected ${expected}, got: ${typeof received === 'string' ? `'${received}'` : String(received)}`,
    );
  }
}
