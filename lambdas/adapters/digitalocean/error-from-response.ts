import {
  DigitalOceanError,
  NotFoundError,
  PendingEventError,
  RateLimitedError,
  ServerError,
  UnauthorizedError,
  UnprocessableError,
} from '../../core/errors';
import { describeBody } from './describe-body';

/** An HTTP response with an error status, read in full. */
export interface FailedResponse {
  readonly method: string;
  /** `METHOD /path?query`. */
  readonly request: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
  /** `retry-after` in milliseconds, on a 429. */
  readonly retryAfterMs?: number;
}

/**
 * Translates an error response into our family. DigitalOcean's `{id, message, request_id}` is used
 * when the body is that JSON; anything else (a proxy's HTML 502, an empty or truncated body) is
 * described in the message instead, so that the error still says what arrived.
 */
export function errorFromResponse(response: FailedResponse): DigitalOceanError {
  const parsed = digitalOceanErrorBody(response.body);
  const details = {
    status: response.status,
    request: response.request,
    id: parsed?.id,
    requestId: parsed?.requestId,
    message: parsed?.message ?? describeBody(response.body, response.contentType),
    // Only a 5xx can leave a POST half done; every other status is a refusal.
    outcomeUnknown: response.method === 'POST' && response.status >= 500,
  };
  switch (true) {
    case response.status === 401:
      return new UnauthorizedError(details);
    case response.status === 404:
      return new NotFoundError(details);
    case response.status === 422 && /pending\s+event/i.test(details.message):
      return new PendingEventError(details);
    case response.status === 422:
      return new UnprocessableError(details);
    case response.status === 429:
      return new RateLimitedError({
        ...details,
        retryAfterSeconds: response.retryAfterMs === undefined ? undefined : response.retryAfterMs / 1000,
      });
    case response.status >= 500:
      return new ServerError(details);
    default:
      return new DigitalOceanError(`http_${response.status}`, details);
  }
}

interface ErrorBody {
  readonly id?: string;
  readonly message: string;
  readonly requestId?: string;
}

function digitalOceanErrorBody(body: string): ErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const { id, message, request_id: requestId } = json as Record<string, unknown>;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return {
    message,
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof requestId === 'string' ? { requestId } : {}),
  };
}
