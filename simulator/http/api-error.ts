import { DropletSchedulerError } from '../../lambdas/core/errors/droplet-scheduler-error';

/** An error answered in DigitalOcean's shape: `{ id, message, request_id }` with an HTTP status. */
export class ApiError extends DropletSchedulerError {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
  ) {
    super(`simulated_${id}`, message);
  }
}

export const notFound = (): ApiError =>
  new ApiError(404, 'not_found', 'The resource you were accessing could not be found.');

export const unprocessable = (message: string): ApiError =>
  new ApiError(422, 'unprocessable_entity', message);
