import * as z from 'zod';
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

const newDropletSchema = z
  .object({
    name: z
      .string()
      .max(255)
      .regex(/^[a-zA-Z0-9]?[a-zA-Z0-9.-]*[a-zA-Z0-9]$/, 'expected a hostname: letters, digits, "." and "-"'),
    region: z.string().regex(/^[a-z]{3}\d$/, 'expected a region slug such as nyc3'),
    size: z.string().regex(/^[a-z0-9-]+$/, 'expected a size slug such as s-1vcpu-1gb'),
    image: z.union([z.number().int().positive(), z.string().regex(/^\S+$/, 'expected an image slug')]),
    tags: z
      .array(z.string().regex(/^[a-zA-Z0-9_:-]{1,255}$/, "expected letters, digits, ':', '-' or '_'"))
      .optional(),
    vpcUuid: z.uuid().optional(),
    ipv6: z.boolean().optional(),
    monitoring: z.boolean().optional(),
    backups: z.boolean().optional(),
  })
  .strict();

/** `POST /v2/droplets`'s body for a `NewDroplet`, or an error naming the field that is wrong. */
export function validNewDroplet(spec: unknown, request: string): Record<string, unknown> {
  const result = newDropletSchema.safeParse(spec);
  if (!result.success) return throwIssues(request, 'a valid new droplet', spec, result.error.issues);
  const { vpcUuid, ...rest } = result.data;
  return { ...rest, ...(vpcUuid === undefined ? {} : { vpc_uuid: vpcUuid }) };
}

export function validIpv4(ip: unknown, request: string): string {
  if (
    typeof ip === 'string' &&
    /^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) &&
    ip.split('.').every((octet) => Number(octet) <= 255)
  ) {
    return ip;
  }
  throw refuse(request, `ip: expected an IPv4 address, got ${JSON.stringify(ip)}`);
}

/** An id DigitalOcean gives as a string (a volume, firewall or project UUID). */
export function validStringId(field: string, id: unknown, request: string): string {
  if (typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id)) return id;
  throw refuse(
    request,
    `${field}: expected an id such as 506f78a4-e098-11e5-ad9f-000f53306ae1, got ${JSON.stringify(id)}`,
  );
}

export function validRegion(region: unknown, request: string): string {
  if (typeof region === 'string' && /^[a-z]{3}\d$/.test(region)) return region;
  throw refuse(request, `region: expected a region slug such as nyc3, got ${JSON.stringify(region)}`);
}

export function validDropletIds(dropletIds: unknown, request: string): number[] {
  if (Array.isArray(dropletIds) && dropletIds.length > 0) {
    dropletIds.forEach((id) => validDropletId(id, request));
    return dropletIds as number[];
  }
  throw refuse(
    request,
    `dropletIds: expected a non-empty list of droplet ids, got ${JSON.stringify(dropletIds)}`,
  );
}

export function validUrns(urns: unknown, request: string): string[] {
  const urn = /^do:[a-z]+:\S+$/;
  if (
    Array.isArray(urns) &&
    urns.length > 0 &&
    urns.every((item) => typeof item === 'string' && urn.test(item))
  ) {
    return urns as string[];
  }
  throw refuse(
    request,
    `urns: expected a non-empty list of URNs such as do:droplet:4126873, got ${JSON.stringify(urns)}`,
  );
}

export function validImageId(snapshotId: unknown, request: string): number | string {
  if (typeof snapshotId === 'number' && Number.isSafeInteger(snapshotId) && snapshotId > 0) return snapshotId;
  if (typeof snapshotId === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(snapshotId)) return snapshotId;
  throw refuse(
    request,
    `snapshotId: expected a positive integer or an id string, got ${JSON.stringify(snapshotId)}`,
  );
}
