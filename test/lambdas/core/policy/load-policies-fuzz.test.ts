import fc from 'fast-check';
import { stringify } from 'yaml';
import { DropletSchedulerError } from '../../../../lambdas/core/errors';
import { loadPolicies, parsePolicy, PolicyValidationError } from '../../../../lambdas/core/policy';

/** Runs the loader and says how it ended: loaded, rejected with our error, or anything else (a failure). */
function outcome(text: string): 'loaded' | 'rejected' {
  try {
    loadPolicies(text, 'fuzz.yaml');
    return 'loaded';
  } catch (error) {
    if (error instanceof PolicyValidationError && error instanceof DropletSchedulerError) {
      if (error.issues.length === 0) throw new Error('a PolicyValidationError without issues');
      return 'rejected';
    }
    throw error;
  }
}

/** Mostly valid values, with a wrong one now and then, so that both outcomes are common. */
const sometimesWrong = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: fc.anything(), weight: 1 });

const common = {
  timezone: sometimesWrong(fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York')),
  targets: sometimesWrong(
    fc.oneof(
      fc.record({ tag: fc.constantFrom('staging', 'production') }),
      fc.record({
        dropletIds: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 3 }),
      }),
    ),
  ),
  skipDates: sometimesWrong(fc.array(fc.constantFrom('2026-12-25', '2027-01-01'), { maxLength: 3 })),
  enabled: sometimesWrong(fc.boolean()),
  flexibleWindowMinutes: sometimesWrong(fc.integer({ min: 1, max: 1440 })),
};

const actionPolicy = fc.record(
  {
    ...common,
    schedule: sometimesWrong(fc.constantFrom('cron(0 2 * * ? *)', 'rate(1 hour)', 'at(2027-01-01T00:00:00)')),
    action: sometimesWrong(
      fc.oneof(
        fc.constantFrom({ type: 'snapshot' }, { type: 'reboot' }, { type: 'resize', size: 's-1vcpu-1gb' }),
        fc.record({
          type: fc.constant('shutdown'),
          fallback: fc.constant('power_off'),
          timeoutMinutes: fc.integer({ min: 1, max: 60 }),
        }),
      ),
    ),
  },
  { requiredKeys: ['schedule', 'action', 'targets'] },
);

const powerPolicy = fc.record(
  {
    ...common,
    powerSchedule: sometimesWrong(
      fc.record({
        on: fc.constantFrom('07:00', '6:30'),
        off: fc.constantFrom('20:00', '23:59'),
        days: fc.constantFrom('MON-FRI', 'SAT,SUN'),
      }),
    ),
  },
  { requiredKeys: ['powerSchedule', 'targets'] },
);

/** Snapshots now and then: a workflow takes at most one. */
const someAction = fc.oneof(
  {
    arbitrary: fc.oneof(
      fc.constantFrom({ type: 'power_on' }, { type: 'reboot' }, { type: 'resize', size: 's-1vcpu-1gb' }),
      fc.record({
        type: fc.constant('shutdown'),
        fallback: fc.constant('power_off'),
        timeoutMinutes: fc.integer({ min: 1, max: 60 }),
      }),
    ),
    weight: 5,
  },
  {
    arbitrary: fc.constantFrom(
      { type: 'snapshot' },
      { type: 'snapshot', name: '{policy}--{dropletId}-{utc:yyyyMMdd}' },
    ),
    weight: 1,
  },
);

const stepsPolicy = fc.record(
  {
    ...common,
    schedule: sometimesWrong(fc.constantFrom('cron(0 3 ? * SUN *)', 'rate(1 day)')),
    steps: sometimesWrong(
      fc.oneof(
        { arbitrary: fc.array(someAction, { minLength: 2, maxLength: 4 }), weight: 8 },
        { arbitrary: fc.array(sometimesWrong(someAction), { minLength: 1, maxLength: 11 }), weight: 1 },
      ),
    ),
    onFailure: sometimesWrong(fc.constantFrom({ type: 'power_on' }, { type: 'reboot', timeoutMinutes: 3 })),
    retention: sometimesWrong(fc.record({ keepLast: fc.integer({ min: 1, max: 10 }) })),
  },
  { requiredKeys: ['schedule', 'steps', 'targets'] },
);

const parkPolicy = fc.record(
  {
    ...common,
    parkSchedule: sometimesWrong(
      fc.record({
        park: fc.constantFrom('20:00', '19:30'),
        unpark: fc.constantFrom('07:00', '6:45', '20:00'),
        days: fc.constantFrom('MON-FRI', 'SAT,SUN', 'FRI-MON'),
      }),
    ),
    allowIpChange: sometimesWrong(fc.boolean()),
    allowBackupLoss: sometimesWrong(fc.boolean()),
    keepSnapshots: sometimesWrong(fc.integer({ min: 0, max: 31 })),
  },
  { requiredKeys: ['parkSchedule', 'targets'] },
);

describe('the policy loader under random input', () => {
  it('never throws anything but a PolicyValidationError for random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (text) => {
          outcome(text);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a PolicyValidationError for random YAML values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        outcome(stringify(value));
        outcome(stringify({ policies: value }));
      }),
      { numRuns: 500 },
    );
  });

  it('loads or rejects policy-shaped documents, and what it loads parsePolicy accepts unchanged', () => {
    let loaded = 0;
    const kinds = { steps: 0, parking: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.oneof(actionPolicy, powerPolicy, stepsPolicy, parkPolicy), {
          minLength: 1,
          maxLength: 3,
        }),
        (entries) => {
          const policies = entries.map((entry, index) => ({ name: `p${index}`, ...entry }));
          const text = stringify({ defaults: { timezone: 'UTC' }, policies });
          if (outcome(text) === 'loaded') {
            loaded += 1;
            for (const policy of loadPolicies(text, 'fuzz.yaml').policies) {
              expect(parsePolicy(JSON.parse(JSON.stringify(policy)))).toEqual(policy);
              if (policy.steps) kinds.steps += 1;
              if (policy.parking) kinds.parking += 1;
            }
          }
        },
      ),
      { numRuns: 500 },
    );
    // The property says nothing unless some documents do load.
    expect(loaded).toBeGreaterThan(5);
    expect(kinds.steps).toBeGreaterThan(0);
    expect(kinds.parking).toBeGreaterThan(0);
  });
});
