import { DropletSchedulerError } from './droplet-scheduler-error';

export interface DigitalOceanErrorDetails {
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** DigitalOcean's error `id`, e.g. `unprocessable_entity`; absent when the body was not DigitalOcean's JSON. */
  readonly id?: string;
  /** DigitalOcean's `message`, or a description of what arrived instead. */
  readonly message: string;
  /** DigitalOcean's `request_id`, for support tickets. */
  readonly requestId?: string;
  /** `METHOD /path` of the request, with no query secrets and never the token. */
  readonly request: string;
  /**
   * True when a POST may or may not have been carried out (5xx, timeout, connection dropped after
   * sending). The caller must look at the droplet's actions before it starts the action again.
   * @default false
   */
  readonly outcomeUnknown?: boolean;
}

/** An error DigitalOcean's API returned, or a failure to reach it. */
export class DigitalOceanError extends DropletSchedulerError {
  override name: string = 'DigitalOceanError';

  readonly status: number;
  readonly id?: string;
  readonly requestId?: string;
  readonly request: string;
  readonly outcomeUnknown: boolean;
  /** DigitalOcean's own message, without our prefix. */
  readonly apiMessage: string;

  constructor(code: string, details: DigitalOceanErrorDetails) {
    const status = details.status === 0 ? 'no response' : `HTTP ${details.status}`;
    const id = details.id ? ` ${details.id}` : '';
    const requestId = details.requestId ? ` (request_id ${details.requestId})` : '';
    super(code, `DigitalOcean ${details.request} failed: ${status}${id}: ${details.message}${requestId}`);
    this.status = details.status;
    this.id = details.id;
    this.requestId = details.requestId;
    this.request = details.request;
    this.apiMessage = details.message;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}
