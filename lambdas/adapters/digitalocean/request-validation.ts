import type { z } from 'zod';
import { BULK_ACTION_TYPES, type ActionType } from '../../core/actions/action-catalog';
import { dropletActionSchema, type DropletAction } from '../../core/actions/droplet-action';
import { UnprocessableError } from '../../core/errors';

/**
 * Refusals the client makes before spending a request. They are `UnprocessableError`s, like
 * DigitalOcean's own 422s, so that callers handle both alike; `status` 0 and `id`
 * `invalid_request` tell them apart, and the message says nothing was sent.
 */
function refuse(request: string, message: string): UnprocessableError {
  return new UnprocessableError({
    status: 0,
    id: 'invalid_request',
    request,
    message: `not sent: ${message}`,
  });
}

/** The action as DigitalOcean's request body, or an error naming the parameter that is wrong. */
export function validAction(action: unknown, request: string): DropletAction {
  const result = dropletActionSchema.safeParse(action);
  if (result.success) return result.data;
  const type =
    typeof action === 'object' && action !== null && 'type' in action ? String(action.type) : 'unknown';
  return throwIssues(request, `a valid ${type} action`, action, result.error.issues);
}

/** As `validAction`, and the type must be one DigitalOcean accepts by tag. */
export function validBulkAction(action: unknown, request: string): DropletAction {
  const valid = validAction(action, request);
  if (!(BULK_ACTION_TYPES as readonly ActionType[]).includes(valid.type)) {
    throw refuse(
      request,
      `type: expected one of ${BULK_ACTION_TYPES.join(', ')} (the types DigitalOcean accepts by tag), got '${valid.type}'`,
    );
  }
  return valid;
}

export function validDropletId(dropletId: unknown, request: string): number {
  if (typeof dropletId === 'number' && Number.isSafeInteger(dropletId) && dropletId > 0) return dropletId;
  throw refuse(request, `dropletId: expected a positive integer, got ${JSON.stringify(dropletId)}`);
}

export function validTag(tag: unknown, request: string): string {
  if (typeof tag === 'string' && tag.trim() !== '') return tag;
  throw refuse(request, `tag: expected a non-empty tag name, got ${JSON.stringify(tag)}`);
}

function throwIssues(request: string, expected: string, input: unknown, issues: z.core.$ZodIssue[]): never {
  const described = issues.map((issue) => {
    const path = issue.path.join('.');
    const received = path === '' ? undefined : valueAt(input, issue.path);
    const got = received === undefined ? '' : `, got ${JSON.stringify(received)}`;
    return `${path || 'action'}: ${issue.message}${got}`;
  });
  throw refuse(request, `expected ${expected}; ${described.join('; ')}`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
