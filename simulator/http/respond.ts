import type { ServerResponse } from 'node:http';

/** Sends a JSON body (or none for 204) with the given headers. */
export function respond(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}

/** DigitalOcean's error body. */
export function errorBody(id: string, message: string, requestId: string) {
  return { id, message, request_id: requestId };
}
