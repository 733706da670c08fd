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

    // The order of the issues says nothing: compare them as a set.
    expect(issuePathsOf(value).sort()).toEqual([...paths].sort());
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

const WORKFLOWS = join(GOOD, 'workflows-and-parking.yaml');
const workflowPolicies = loadPolicies(readFileSync(WORKFLOWS, 'utf8'), WORKFLOWS).policies;
const offlineSnapshot = workflowPolicies.find((policy) => policy.name === 'offline-snapshot')!;
const park = workflowPolicies.find((policy) => policy.name === 'dev-nights-park')!;
const unpark = workflowPolicies.find((policy) => policy.name === 'dev-nights-unpark')!;
const powerOn = { action: { type: 'power_on' }, timeoutMinutes: 5 };

describe('parsePolicy on workflows and parking', () => {
  it.each([
    ['steps: []', offlineSnapshot, { steps: [] }, ['steps', 'retention']],
    ['ten steps after action', offlineSnapshot, { steps: Array(10).fill(powerOn) }, ['steps']],
    [
      'a fallback on a snapshot step',
      offlineSnapshot,
      { steps: [{ ...offlineSnapshot.steps![0], fallback: 'power_off' }, powerOn] },
      ['steps[0].fallback'],
    ],
    [
      'a snapshot step without its name template',
      offlineSnapshot,
      { steps: [{ action: { type: 'snapshot' }, timeoutMinutes: 60 }, powerOn] },
      ['steps[0].snapshotNameTemplate'],
    ],
    [
      'a second snapshot in onFailure',
      offlineSnapshot,
      { onFailure: offlineSnapshot.steps![0] },
      ['onFailure.action.type'],
    ],
    ['retention without a snapshot step', offlineSnapshot, { steps: [powerOn] }, ['retention']],
    [
      'an unknown key in a step',
      offlineSnapshot,
      { onFailure: { ...powerOn, retry: 2 } },
      ['onFailure.retry'],
    ],
    ['a park policy that powers on', park, { action: { type: 'power_on' } }, ['action.type']],
    ['an unpark policy that shuts down', unpark, { action: { type: 'shutdown' } }, ['action.type']],
    ['a parking policy with steps', park, { steps: [powerOn] }, ['steps']],
    ['a parking policy with onFailure', unpark, { onFailure: powerOn }, ['onFailure']],
    [
      'a parking policy that skips droplets already off',
      park,
      { skipWhenAlreadyInState: true },
      ['skipWhenAlreadyInState'],
    ],
    [
      'a park policy naming another park policy',
      park,
      { parking: { ...park.parking, parkPolicy: 'other-park' } },
      ['parking.parkPolicy'],
    ],
    [
      'keepSnapshots over 30',
      unpark,
      { parking: { ...unpark.parking, keepSnapshots: 31 } },
      ['parking.keepSnapshots'],
    ],
    ['an unknown parking role', park, { parking: { ...park.parking, role: 'hibernate' } }, ['parking.role']],
  ])('refuses %s', (_case, base, change, paths) => {
    const value = JSON.parse(JSON.stringify({ ...base, ...change }));

    expect(issuePathsOf(value).sort()).toEqual([...paths].sort());
  });

  it('says why a park policy must amount to a shutdown', () => {
    expect(() => parsePolicy({ ...park, action: { type: 'power_on' } })).toThrow(
      'policy input action.type: expected shutdown: a park policy\'s action is the power state it leaves droplets in, got: "power_on"',
    );
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
