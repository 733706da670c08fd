import { unprocessable } from '../http/api-error';
import {
  anyOf,
  checkBody,
  isArrayOf,
  isBoolean,
  isInteger,
  isObject,
  isOneOf,
  isString,
  type Shape,
} from './body-rules';

const HOSTNAME = /^[a-zA-Z0-9]?[a-z0-9A-Z.-]*[a-z0-9A-Z]$/;
const TAG = /^[a-zA-Z0-9_:-]{1,255}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `POST /v2/droplets` for one droplet, from the spec's `droplet_single_create`; fields it does not name are ignored. */
const SINGLE: Shape = {
  name: {
    check: isString({ pattern: HOSTNAME, max: 255, what: 'a hostname of letters, digits, "." and "-"' }),
    required: true,
  },
  region: { check: isString({ pattern: /^[a-z]{3}\d$/, what: 'a region slug such as nyc3' }) },
  size: {
    check: isString({ pattern: /^[a-z0-9-]+$/, what: 'a size slug such as s-1vcpu-1gb' }),
    required: true,
  },
  image: {
    check: anyOf('an image id or slug', isInteger({ min: 1 }), isString({ pattern: /^\S+$/ })),
    required: true,
  },
  ssh_keys: { check: isArrayOf(anyOf('a key id or fingerprint', isInteger(), isString())) },
  backups: { check: isBoolean },
  backup_policy: {
    check: isObject({
      plan: { check: isOneOf(['daily', 'weekly']), required: true },
      weekday: { check: isOneOf(['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']) },
      hour: { check: isOneOf([0, 4, 8, 12, 16, 20]) },
    }),
  },
  ipv6: { check: isBoolean },
  monitoring: { check: isBoolean },
  tags: {
    check: isArrayOf(isString({ pattern: TAG, what: "a tag of letters, digits, ':', '-' or '_'" }), {
      nullable: true,
    }),
  },
  user_data: { check: isString({ max: 65_536 }) },
  private_networking: { check: isBoolean },
  volumes: { check: isArrayOf(isString()) },
  vpc_uuid: { check: isString({ pattern: UUID, what: 'a VPC UUID' }) },
  with_droplet_agent: { check: isBoolean },
  public_networking: { check: isBoolean },
};

/** Checks a create body; the multiple-droplet form (`names`) is refused, since the simulator creates one at a time. */
export function createDropletRules(body: unknown): Record<string, unknown> {
  if (body !== null && typeof body === 'object' && 'names' in body) {
    throw unprocessable('names: the simulator creates one droplet per request; send "name" instead');
  }
  return checkBody(body, SINGLE, { what: 'describing the droplet', context: 'a droplet', extra: 'ignore' });
}
