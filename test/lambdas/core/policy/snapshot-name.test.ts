import fc from 'fast-check';
import {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  isOwnSnapshot,
  renderSnapshotName,
  snapshotNamePrefix,
} from '../../../../lambdas/core/policy';
import { policyNameSchema } from '../../../../lambdas/core/policy/policy-name';
import { snapshotNameTemplateProblem } from '../../../../lambdas/core/policy/snapshot-name';

const TICK = '2026-11-27T01:00:00.000Z';

describe('renderSnapshotName', () => {
  it('renders the default template as <policy>--<droplet id>-<UTC yyyyMMdd-HHmm>', () => {
    const name = renderSnapshotName(DEFAULT_SNAPSHOT_NAME_TEMPLATE, {
      policy: 'nightly-snapshots',
      dropletId: 3164444,
      scheduledTime: TICK,
    });

    expect(name).toBe('nightly-snapshots--3164444-20261127-0100');
  });

  it('renders every placeholder and every time token, in UTC whatever the offset given', () => {
    const name = renderSnapshotName('{policy}--{dropletId}-{dropletName}-{utc:yyyy.MM.dd_HH-mm-ss}-x', {
      policy: 'p',
      dropletId: 7,
      dropletName: 'web-01.example.com',
      scheduledTime: '2026-03-29T03:04:05+02:00',
    });

    expect(name).toBe('p--7-web-01.example.com-2026.03.29_01-04-05-x');
  });

  it('replaces unsafe characters of a droplet name and shortens it to fit 255 characters', () => {
    const name = renderSnapshotName('{policy}--{dropletId}-{dropletName}', {
      policy: 'p',
      dropletId: 7,
      dropletName: `a b/${'c'.repeat(400)}`,
      scheduledTime: new Date(TICK),
    });

    expect(name.startsWith('p--7-a-b-ccc')).toBe(true);
    expect(name).toHaveLength(255);
  });

  it('refuses a template that was never validated', () => {
    expect(() =>
      renderSnapshotName('snap-{utc:yyyy}', { policy: 'p', dropletId: 1, scheduledTime: TICK }),
    ).toThrow(RangeError);
  });
});

describe('snapshot name templates', () => {
  it.each([
    ['{policy}--{dropletId}-{utc:yyyyMMdd-HHmm}', undefined],
    ['{policy}--{dropletId}-', undefined],
    ['{policy}--{dropletId}-{dropletName}', undefined],
    ['{dropletId}-{policy}-x', 'starting with'],
    ['{policy}-{dropletId}-{utc:yyyyMMdd}', 'starting with'],
    ['{policy}--{dropletId}-{utc:yyyy/MM}', 'a {utc:FORMAT}'],
    ['{policy}--{dropletId}-{utc:}', 'a {utc:FORMAT}'],
    ['{policy}--{dropletId}-{region}', 'placeholders'],
    ['{policy}--{dropletId}-snap shot', 'literal text'],
    ['{policy}--{dropletId}-{policy', 'pair up'],
    ['{policy}--{dropletId}-a}', 'pair up'],
    [`{policy}--{dropletId}-${'x'.repeat(200)}`, '255 characters'],
  ])('judges %s: %s', (template, problem) => {
    const found = snapshotNameTemplateProblem(template);

    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('isOwnSnapshot', () => {
  it('claims the names its policy renders for its droplet', () => {
    const name = renderSnapshotName(DEFAULT_SNAPSHOT_NAME_TEMPLATE, {
      policy: 'web',
      dropletId: 4,
      scheduledTime: TICK,
    });

    expect(isOwnSnapshot(name, 'web', 4)).toBe(true);
    expect(snapshotNamePrefix('web', 4)).toBe('web--4-');
  });

  it.each([
    ['policy web vs web-2', 'web-2', 4, 'web', 4],
    ['policy web vs web-2 on droplet 2', 'web-2', 2, 'web', 2],
    ['droplet 4 vs 42', 'web', 42, 'web', 4],
    ['droplet 42 vs 4', 'web', 4, 'web', 42],
    ['policy web vs web.2', 'web.2', 4, 'web', 4],
    ['a hand-made snapshot', 'manual', 4, 'web', 4],
  ])('does not claim across %s', (_case, makerPolicy, makerDroplet, policy, droplet) => {
    const name = renderSnapshotName('{policy}--{dropletId}-{dropletName}-{utc:yyyyMMdd}', {
      policy: makerPolicy,
      dropletId: makerDroplet,
      dropletName: '4-web--4-',
      scheduledTime: TICK,
    });

    expect(isOwnSnapshot(name, policy, droplet)).toBe(false);
  });

  it('never claims a name another valid policy or droplet rendered, whatever the template suffix', () => {
    const nameArbitrary = fc
      .stringMatching(/^[0-9A-Za-z_.-]{1,12}$/)
      .filter((name) => policyNameSchema.safeParse(name).success);
    const suffixArbitrary = fc.constantFrom(
      '{utc:yyyyMMdd-HHmm}',
      '{dropletName}',
      '{dropletName}-{utc:yyyy}',
      '',
      '{utc:HHmm}--{dropletId}-',
    );
    fc.assert(
      fc.property(
        nameArbitrary,
        fc.integer({ min: 1, max: 1e12 }),
        nameArbitrary,
        fc.integer({ min: 1, max: 1e12 }),
        suffixArbitrary,
        fc.stringMatching(/^[0-9a-z.-]{0,20}$/),
        (policy, droplet, otherPolicy, otherDroplet, suffix, dropletName) => {
          fc.pre(policy !== otherPolicy || droplet !== otherDroplet);
          const name = renderSnapshotName(`{policy}--{dropletId}-${suffix}`, {
            policy: otherPolicy,
            dropletId: otherDroplet,
            dropletName,
            scheduledTime: TICK,
          });
          return !isOwnSnapshot(name, policy, droplet);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
