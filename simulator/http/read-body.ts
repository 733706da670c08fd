import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error';

const MAX_BODY_BYTES = 1024 * 1024;

/** The request's JSON body, undefined when empty; a 400 in DigitalOcean's shape when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError(413, 'request_entity_too_large', 'Request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return parseJsonBody(Buffer.concat(chunks).toString('utf8'));
}

/** A body already read as text (the in-process transport), with the same rules. */
export function parseJsonBody(text: string): unknown {
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw new ApiError(413, 'request_entity_too_large', 'Request body is too large.');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'bad_request', `body: expected JSON, got: '${text.slice(0, 40)}'`);
  }
}
