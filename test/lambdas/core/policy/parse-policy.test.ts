import { isIanaTimezone } from '../../../../lambdas/core/policy/timezone';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadPolicies,
  parsePolicy,
  PolicyValidationError,
  type Policy,
} from '../../../../lambdas/core/policy';

const GOOD = join(__dirname, '../../../fixtures/good-policies');
const EXAMPLE = join(__dirname, '../../../../examples/policies.yaml');

const loaded: Policy[] = [...readdirSync(GOOD).map((file) => join(GOOD, file)), EXAMPLE].flatMap(
  (file) => loadPolicies(readFileSync(file, 'utf8'), file).policies,
);

/** A snapshot policy with retention, from the example. */
const base: Policy = loadPolicies(readFileSync(EXAMPLE, 'utf8'), EXAMPLE).policies.find(
  (policy) => policy.name === 'nightly-snapshots',
)!;

function issuePathsOf(value: unknown): string[] {
  try {
    parsePolicy(value);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.issues.map((issue) => issue.path);
    throw error;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it.each(loaded.map((policy) => [policy.name, policy] as const))(
    'accepts %s as the loader made it and returns it unchanged after a JSON round trip',
    (_name, policy) => {
      const parsed = parsePolicy(JSON.parse(JSON.stringify(policy)));

      expect(parsed).toEqual(policy);
    },
  );

  it.each([
    [
      'a fallback on reboot',
      { action: { type: 'reboot' }, fallback: 'power_off' },
      ['fallback', 'retention', 'snapshotNameTemplate'],
    ],
    [
      'retention on power_on',
      { action: { type: 'power_on' }, snapshotNameTemplate: undefined },
      ['retention'],
    ],
    ['a snapshot without a name template', { snapshotNameTemplate: undefined }, ['snapshotNameTemplate']],
    ['a literal snapshot name in the action', { action: { type: 'snapshot', name: 'x' } }, ['action.name']],
    ['skipWhenAlreadyInState on a snapshot', { skipWhenAlreadyInState: true }, ['skipWhenAlreadyInState']],
    [
      'an endDate before startDate',
      { startDate: '2026-02-01T00:00:00.000Z', endDate: '2026-01-01T00:00:00.000Z' },
      ['endDate'],
    ],
    ['an unknown field', { extra: 1 }, ['extra']],
    ['a missing timezone', { timezone: undefined }, ['timezone']],
    [
      'an action parameter of another type',
      { action: { type: 'snapshot', size: 's-1vcpu-1gb' } },
      ['action.size'],
    ],
  ])('refuses %s', (_case, change, paths) => {
    const value = JSON.parse(JSON.stringify({ ...base, ...change }));

    expect(issuePathsOf(value)).toEqual(paths);
  });

  it('names the source and the field, without a line, in its message', () => {
    const error = (() => {
      try {
        parsePolicy({ ...base, timeoutMinutes: 0 }, 'schedule input of nightly-snapshots');
      } catch (thrown) {
        return thrown as PolicyValidationError;
      }
      throw new Error('expected a rejection');
    })();

    expect(error.message).toBe(
      'schedule input of nightly-snapshots timeoutMinutes: expected 1 to 10080 minutes, got: 0',
    );
    expect(error.issues[0]).not.toHaveProperty('line');
  });

  it('refuses a value that is not an object at all', () => {
    expect(() => parsePolicy('nightly-snapshots')).toThrow(PolicyValidationError);
  });
});

describe('time zone names', () => {
  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Calcutta', 'Europe/Berlin', 'UTC'])(
    'accepts the IANA name %s',
    (name) => {
      expect(isIanaTimezone(name)).toBe(true);
    },
  );

  it.each(['europe/berlin', 'Mars/Base', '+01:00'])('refuses %s', (name) => {
    expect(isIanaTimezone(name)).toBe(false);
  });
});
