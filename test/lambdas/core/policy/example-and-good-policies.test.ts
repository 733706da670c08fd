import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../../../lambdas/core/policy';

const GOOD = join(__dirname, '../../../fixtures/good-policies');
const EXAMPLE = join(__dirname, '../../../../examples/policies.yaml');

describe('the good policy fixtures', () => {
  it.each(readdirSync(GOOD))('loads %s', async (file) => {
    const { policies } = await loadPolicyFile(join(GOOD, file));

    expect(policies.length).toBeGreaterThan(0);
  });

  it('covers all sixteen action types in every-action-type.yaml', async () => {
    const { policies } = await loadPolicyFile(join(GOOD, 'every-action-type.yaml'));

    expect(new Set(policies.map((policy) => policy.action.type)).size).toBe(16);
  });

  it('keeps every optional field of every-field.yaml', async () => {
    const { policies } = await loadPolicyFile(join(GOOD, 'every-field.yaml'));

    expect(policies[0]).toEqual({
      name: 'quarterly-snapshots',
      description: 'Snapshots of two database droplets before the quarterly report.',
      enabled: false,
      schedule: 'cron(0 3 1 1,4,7,10 ? *)',
      timezone: 'America/New_York',
      startDate: '2025-12-31T23:00:00.000Z',
      endDate: '2027-12-31T23:59:59.000Z',
      flexibleWindowMinutes: 30,
      targets: { dropletIds: [3164444, 3164450] },
      action: { type: 'snapshot' },
      timeoutMinutes: 720,
      retention: { keepLast: 8, maxAgeDays: 800 },
      skipWhenAlreadyInState: false,
      skipDates: ['2026-01-01', '2026-07-04'],
      snapshotNameTemplate: '{policy}--{dropletId}-{dropletName}-{utc:yyyy.MM.dd_HHmm}',
    });
    expect(policies[1]).toMatchObject({ flexibleWindowMinutes: 10, skipDates: ['2026-12-25', '2026-12-26'] });
  });
});

describe('examples/policies.yaml', () => {
  it('loads into the nightly snapshot, the weekend pair and the expanded office hours', async () => {
    const { policies } = await loadPolicyFile(EXAMPLE);

    expect(
      policies.map((policy) => [policy.name, policy.schedule, policy.action.type, policy.enabled]),
    ).toEqual([
      ['nightly-snapshots', 'cron(0 2 * * ? *)', 'snapshot', true],
      ['weekend-off', 'cron(0 20 ? * FRI *)', 'shutdown', true],
      ['monday-on', 'cron(0 7 ? * MON *)', 'power_on', true],
      ['office-hours-on', 'cron(0 7 ? * MON-FRI *)', 'power_on', false],
      ['office-hours-off', 'cron(0 20 ? * MON-FRI *)', 'shutdown', false],
      ['offline-snapshot', 'cron(0 4 ? * SUN *)', 'shutdown', false],
      ['staging-nights-park', 'cron(0 20 ? * MON-FRI *)', 'shutdown', false],
      ['staging-nights-unpark', 'cron(0 7 ? * MON-FRI *)', 'power_on', false],
    ]);
  });

  it('shows the offline snapshot as steps with a power_on on failure, and parking that may change IPs but keeps backups', async () => {
    const { policies } = await loadPolicyFile(EXAMPLE);
    const byName = new Map(policies.map((policy) => [policy.name, policy]));

    expect(byName.get('offline-snapshot')).toMatchObject({
      action: { type: 'shutdown' },
      fallback: 'power_off',
      timeoutMinutes: 5,
      steps: [{ action: { type: 'snapshot' } }, { action: { type: 'power_on' } }],
      onFailure: { action: { type: 'power_on' } },
      retention: { keepLast: 4 },
    });
    const parking = {
      parkPolicy: 'staging-nights-park',
      allowIpChange: true,
      allowBackupLoss: false,
      keepSnapshots: 1,
    };
    expect(byName.get('staging-nights-park')!.parking).toEqual({ role: 'park', ...parking });
    expect(byName.get('staging-nights-unpark')!.parking).toEqual({ role: 'unpark', ...parking });
  });

  it('targets only the tags the simulator seeds, in Berlin time, keeping a week of snapshots', async () => {
    const { policies } = await loadPolicyFile(EXAMPLE);

    expect(new Set(policies.map((policy) => JSON.stringify(policy.targets)))).toEqual(
      new Set(['{"tag":"production"}', '{"tag":"staging"}']),
    );
    expect(policies.every((policy) => policy.timezone === 'Europe/Berlin')).toBe(true);
    expect(policies[0]).toMatchObject({ retention: { keepLast: 7 }, skipDates: [] });
    expect(policies[1]).toMatchObject({ fallback: 'power_off', timeoutMinutes: 5 });
    expect(policies[1]!.skipDates).toContain('2026-12-25');
  });
});
