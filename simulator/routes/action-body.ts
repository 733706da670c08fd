import type { z } from 'zod';
import { ACTION_TYPES } from '../../lambdas/core/actions/action-catalog';
import { dropletActionSchema, type DropletAction } from '../../lambdas/core/actions/droplet-action';
import { unprocessable } from '../http/api-error';

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(issue: z.core.$ZodIssue, body: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const type = JSON.stringify(valueAt(body, ['type']));
    return `${issue.keys.join(', ')}: not a parameter of a ${type} action`;
  }
  const path = issue.path.map(String).join('.') || 'body';
  if (path === 'type') {
    return `type: expected one of ${ACTION_TYPES.join(', ')}, got: ${JSON.stringify(valueAt(body, ['type']))}`;
  }
  const received = valueAt(body, issue.path);
  const type = JSON.stringify(valueAt(body, ['type']));
  if (received === undefined) {
    const expected = issue.code === 'invalid_type' ? `, expected ${issue.expected}` : '';
    return `${path}: required for a ${type} action${expected}`;
  }
  const expected = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return `${path}: ${expected}, got: ${JSON.stringify(received)}`;
}

/**
 * Reads a droplet action from a request body with the project's own schema (DigitalOcean's real
 * per-type rules); a 422 names the parameter, the value received and what was expected.
 */
export function parseActionBody(body: unknown): DropletAction {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw unprocessable(
      `body: expected a JSON object with a "type", got: ${JSON.stringify(body) ?? 'nothing'}`,
    );
  }
  const parsed = dropletActionSchema.safeParse(body);
  if (!parsed.success) {
    throw unprocessable(parsed.error.issues.map((issue) => describe(issue, body)).join('; '));
  }
  return parsed.data;
}
