const SNIPPET_LENGTH = 120;

/**
 * A short description of a response body that is not DigitalOcean's JSON, for error messages:
 * its content type, its size and its beginning (an HTML page's title when it has one).
 */
export function describeBody(body: string, contentType: string | null): string {
  const type = contentType?.split(';')[0]?.trim() || 'no content type';
  if (body.trim() === '') return `expected DigitalOcean's JSON error body, got an empty body (${type})`;
  const size = `${Buffer.byteLength(body)} bytes`;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  if (title)
    return `expected DigitalOcean's JSON error body, got an HTML page titled '${title}' (${type}, ${size})`;
  const looksLikeJson = /^\s*[[{]/.test(body);
  let what = `a ${type} body`;
  if (looksLikeJson) what = isJson(body) ? 'JSON without a message' : 'truncated or malformed JSON';
  return `expected DigitalOcean's JSON error body, got ${what} (${type}, ${size}): '${snippet(body)}'`;
}

/** The body's beginning on one line, cut to a readable length. */
export function snippet(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > SNIPPET_LENGTH ? `${oneLine.slice(0, SNIPPET_LENGTH)}…` : oneLine;
}

function isJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
