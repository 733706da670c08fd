const MAX_LENGTH = 60;
const MAX_DEPTH = 3;

/**
 * A short JSON-like rendering of a value for an error message: `42`, `"cron(0 2 * *)"`,
 * `{"tag":"x"}`. Bounded in depth and length, so that a hostile value (deep, huge or cyclic)
 * cannot blow up the message or the stack.
 */
export function renderReceived(value: unknown, missing = false): string {
  if (missing || value === undefined) return 'nothing';
  const text = render(value, 0);
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function render(value: unknown, depth: number): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > MAX_LENGTH ? value.slice(0, MAX_LENGTH) : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  if (typeof value !== 'object') return typeof value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[…]' : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, 8).map((item) => render(item, depth + 1));
    return `[${items.join(',')}${value.length > 8 ? ',…' : ''}]`;
  }
  const keys = Object.keys(value).slice(0, 8);
  const entries = keys.map(
    (key) => `${JSON.stringify(key)}:${render((value as Record<string, unknown>)[key], depth + 1)}`,
  );
  return `{${entries.join(',')}${Object.keys(value).length > 8 ? ',…' : ''}}`;
}
