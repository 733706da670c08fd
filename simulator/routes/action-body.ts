import type { DropletAction } from '../../lambdas/core/actions/droplet-action';
import { unprocessable } from '../http/api-error';
import {
  anyOf,
  checkBody,
  isBoolean,
  isInteger,
  isObject,
  isOneOf,
  isString,
  objectBody,
  type Shape,
} from '../validation/body-rules';

const BACKUP_HOURS = [0, 4, 8, 12, 16, 20];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const backupPolicy = isObject({
  plan: { check: isOneOf(['daily', 'weekly']), required: true },
  weekday: { check: isOneOf(WEEKDAYS) },
  hour: { check: isOneOf(BACKUP_HOURS) },
});

/**
 * The parameters of each droplet action type, written from DigitalOcean's spec and the real rules
 * its schema does not express (DESIGN.md section 5: `change_backup_policy` is missing from the
 * spec's enum, and the per-type required parameters are not in it). Deliberately not the
 * client's schemas: a simulator that shared them could not catch the client's mistakes.
 */
const PARAMETERS: Readonly<Record<DropletAction['type'], Shape>> = {
  enable_backups: { backup_policy: { check: backupPolicy } },
  disable_backups: {},
  change_backup_policy: { backup_policy: { check: backupPolicy, required: true } },
  reboot: {},
  power_cycle: {},
  shutdown: {},
  power_off: {},
  power_on: {},
  restore: { image: { check: isInteger({ min: 1 }), required: true } },
  password_reset: {},
  resize: {
    size: {
      check: isString({ pattern: /^[a-z0-9-]+$/, what: 'a size slug such as s-2vcpu-2gb' }),
      required: true,
    },
    disk: { check: isBoolean },
  },
  rebuild: {
    image: {
      check: anyOf('an image id or slug', isInteger({ min: 1 }), isString({ pattern: /^\S+$/ })),
      required: true,
    },
  },
  rename: {
    name: {
      check: isString({
        pattern: /^[a-zA-Z0-9.-]{1,255}$/,
        what: 'a hostname of letters, digits, "." and "-"',
      }),
      required: true,
    },
  },
  change_kernel: { kernel: { check: isInteger({ min: 1 }), required: true } },
  enable_ipv6: {},
  // The spec sets no minimum length: an empty name is accepted, and DigitalOcean names it.
  snapshot: { name: { check: isString({ max: 255 }) } },
};

const TYPES = Object.keys(PARAMETERS);

/** The types `POST /v2/droplets/actions?tag_name=` accepts, from the spec's by-tag request body. */
export const BULK_TYPES: readonly DropletAction['type'][] = [
  'enable_backups',
  'disable_backups',
  'power_cycle',
  'power_on',
  'power_off',
  'shutdown',
  'enable_ipv6',
  'snapshot',
];

/**
 * Reads a droplet action from a request body; a 422 names the parameter, the value received and
 * what was expected. A weekly backup policy needs its weekday, as the real API insists.
 */
export function parseActionBody(body: unknown): DropletAction {
  const object = objectBody(body, 'with a "type"');
  const type = object.type;
  if (typeof type !== 'string' || !Object.hasOwn(PARAMETERS, type)) {
    throw unprocessable(
      `type: expected one of ${TYPES.join(', ')}, got: ${JSON.stringify(type) ?? 'nothing'}`,
    );
  }
  const shape = { type: { check: () => [] }, ...PARAMETERS[type as DropletAction['type']] };
  checkBody(object, shape, { what: 'with a "type"', context: `a "${type}" action`, extra: 'refuse' });
  const policy = object.backup_policy as { plan?: string; weekday?: string } | undefined;
  if (policy?.plan === 'weekly' && policy.weekday === undefined) {
    throw unprocessable('backup_policy.weekday: required for a weekly plan, expected one of SUN..SAT');
  }
  return object as DropletAction;
}
