import { NetworkError } from '../../core/errors';

/**
 * Error codes that mean no connection was made, so the request certainly never reached
 * DigitalOcean and a POST can be sent again safely.
 */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface RequestFailure {
  readonly method: string;
  /** `METHOD /path?query`. */
  readonly request: string;
  /** What fetch or the body read threw. */
  readonly thrown: unknown;
  /** Our own deadline fired (fetch then throws an abort, which by itself says nothing). */
  readonly timedOutAfterMs?: number;
}

/**
 * Translates a failure without a response (refused, reset, timed out, body cut off) into a
 * `NetworkError`. The thrown value is never kept as `cause`: fetch's errors can hold the request,
 * and with it the Authorization header. Only its code and message are carried over.
 */
export function errorFromFailure(failure: RequestFailure): NetworkError {
  const code = errorCode(failure.thrown);
  const neverSent = failure.timedOutAfterMs === undefined && code !== undefined && NEVER_SENT.has(code);
  return new NetworkError({
    status: 0,
    request: failure.request,
    id: code,
    message: describeFailure(failure, code, neverSent),
    outcomeUnknown: failure.method === 'POST' && !neverSent,
  });
}

function describeFailure(failure: RequestFailure, code: string | undefined, neverSent: boolean): string {
  if (failure.timedOutAfterMs !== undefined) {
    return `expected a response within ${failure.timedOutAfterMs} ms, got none (timed out)`;
  }
  const detail = innermostMessage(failure.thrown);
  if (neverSent)
    return `expected to connect, got ${code}${detail ? ` (${detail})` : ''}: the request was not sent`;
  return `expected a complete response, got the connection dropped${code ? ` (${code})` : ''}${detail ? `: ${detail}` : ''}`;
}

/** The first `code` on the error, its `cause` chain, or the errors of an AggregateError (happy eyeballs). */
function errorCode(thrown: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof thrown !== 'object' || thrown === null) return undefined;
  const { code, cause, errors } = thrown as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  const fromCause = errorCode(cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const fromInner = errorCode(inner, depth + 1);
      if (fromInner) return fromInner;
    }
  }
  return undefined;
}

function innermostMessage(thrown: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof thrown !== 'object' || thrown === null) return undefined;
  const { message, cause } = thrown as { message?: unknown; cause?: unknown };
  const inner = innermostMessage(cause, depth + 1);
  if (inner) return inner;
  return typeof message === 'string' && message !== '' ? message : undefined;
}
