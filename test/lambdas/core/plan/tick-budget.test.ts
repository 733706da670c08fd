import {
  BILLING_NOTICE,
  checkRunWindow,
  dispatchModeOf,
  formatMinutes,
  isPowerSchedule,
  maxTargetsInWindow,
  runWindowMinutes,
  sendDuration,
  tickBudget,
} from '../../../../lambdas/core/plan';
import { DEFAULT_SNAPSHOT_NAME_TEMPLATE } from '../../../../lambdas/core/policy';
import { makePolicy } from '../../../support/make-policy';

const powerOffByTag = makePolicy({
  name: 'off',
  targets: { tag: 'staging' },
  action: { type: 'power_off' },
});
const snapshotByTag = makePolicy({
  name: 'snap',
  targets: { tag: 'production' },
  action: { type: 'snapshot' },
  retention: { keepLast: 7 },
});
const rebootByIds = makePolicy({
  name: 'reboot',
  targets: { dropletIds: [1, 2, 3] },
  action: { type: 'reboot' },
});
const powerOnByIds = makePolicy({
  name: 'on',
  targets: { dropletIds: [1, 2, 3] },
  action: { type: 'power_on' },
});

const offlineSnapshot = makePolicy({
  name: 'offline',
  targets: { tag: 'production' },
  action: { type: 'shutdown' },
  fallback: 'power_off',
  steps: [
    {
      action: { type: 'snapshot' },
      timeoutMinutes: 60,
      snapshotNameTemplate: DEFAULT_SNAPSHOT_NAME_TEMPLATE,
    },
    { action: { type: 'power_on' }, timeoutMinutes: 5 },
  ],
  onFailure: { action: { type: 'power_on' }, timeoutMinutes: 5 },
  retention: { keepLast: 4 },
});
const parking = { parkPolicy: 'dev-park', allowIpChange: false, allowBackupLoss: false, keepSnapshots: 0 };
const park = makePolicy({
  name: 'dev-park',
  targets: { tag: 'dev' },
  action: { type: 'shutdown' },
  skipWhenAlreadyInState: false,
  parking: { role: 'park', ...parking },
});
const unpark = makePolicy({
  name: 'dev-unpark',
  targets: { tag: 'dev' },
  action: { type: 'power_on' },
  skipWhenAlreadyInState: false,
  parking: { role: 'unpark', ...parking },
});

describe('tickBudget', () => {
  test('given a bulk-capable type on a tag, when budgeted, then one POST starts any number of droplets', () => {
    const budget = tickBudget(powerOffByTag, 1000);
    expect(budget).toMatchObject({
      mode: 'bulk',
      listRequests: 0,
      skipListRequests: 2,
      stateReads: 0,
      initiateRequests: 1,
      startRequests: 3,
      reconcileReadsPerCheck: 5,
    });
  });

  test('given a bulk tick whose tag holds a droplet to leave alone, when budgeted, then the split costs the skip lists, a tag page per 200 and a POST per droplet', () => {
    expect(tickBudget(powerOffByTag, 401).splitStartRequests).toBe(2 + 3 + 401);
    expect(tickBudget(snapshotByTag, 401).splitStartRequests).toBeUndefined();
  });

  test('given a policy whose name cannot be part of a tag, when budgeted, then only the global skip tag is listed', () => {
    expect(tickBudget({ ...powerOffByTag, name: 'off.v2' }, 10).skipListRequests).toBe(1);
  });

  test('given snapshots on a tag, when budgeted, then they go per droplet after listing the tag, with retention reads', () => {
    const budget = tickBudget(snapshotByTag, 401);
    expect(budget).toMatchObject({
      mode: 'per-droplet',
      listRequests: 3,
      skipListRequests: 0,
      initiateRequests: 401,
      startRequests: 404,
      reconcileReadsPerCheck: 3,
      followUpRequests: 802,
    });
  });

  test('given id targets that skip droplets already in state, when budgeted, then each droplet is read before its POST', () => {
    expect(tickBudget(powerOnByIds, 3)).toMatchObject({
      listRequests: 0,
      skipListRequests: 2,
      stateReads: 3,
      startRequests: 8,
    });
    expect(tickBudget(rebootByIds, 3)).toMatchObject({ stateReads: 0, startRequests: 5 });
  });

  test('given an empty tag, when budgeted per droplet, then the one list request is still counted', () => {
    expect(tickBudget(snapshotByTag, 0)).toMatchObject({ listRequests: 1, startRequests: 1 });
  });

  test('dispatchModeOf follows the dispatch rule', () => {
    expect(dispatchModeOf(powerOffByTag)).toBe('bulk');
    expect(dispatchModeOf(snapshotByTag)).toBe('per-droplet');
    expect(dispatchModeOf({ ...powerOffByTag, targets: { dropletIds: [1] } })).toBe('per-droplet');
  });

  test('given a workflow whose first step is bulk-capable on a tag, when dispatched, then that step is still one bulk POST', () => {
    expect(dispatchModeOf(offlineSnapshot)).toBe('bulk');
  });

  test('given a parking policy on a tag, when dispatched, then it goes per droplet though its action is bulk-capable', () => {
    expect(dispatchModeOf(park)).toBe('per-droplet');
    expect(dispatchModeOf(unpark)).toBe('per-droplet');
  });

  test('given the offline snapshot on 10 droplets, when budgeted, then later steps and the failure step are counted', () => {
    expect(tickBudget(offlineSnapshot, 10)).toEqual({
      mode: 'bulk',
      targetCount: 10,
      listRequests: 0,
      // The two skip-tag lists; a tag holding a skip-tagged droplet splits the first step.
      skipListRequests: 2,
      splitStartRequests: 2 + 1 + 10,
      stateReads: 0,
      checkReads: 0,
      initiateRequests: 1,
      startRequests: 3,
      reconcileReadsPerCheck: 1,
      // A snapshot and a power_on per droplet.
      laterRequests: 20,
      // Per droplet at worst: the shutdown's power_off, the onFailure power_on, a snapshot list and a deletion.
      followUpRequests: 40,
    });
  });

  test('given a shutdown fallback in onFailure, when budgeted, then that fallback is a follow-up too', () => {
    const budget = tickBudget(
      {
        ...rebootByIds,
        onFailure: { action: { type: 'shutdown' }, timeoutMinutes: 5, fallback: 'power_off' },
      },
      3,
    );
    expect(budget).toMatchObject({ laterRequests: 0, followUpRequests: 6 });
  });

  test('given parking on 10 droplets, when budgeted, then checks, the first change, the rest and the fallback are counted per droplet', () => {
    expect(tickBudget(park, 10)).toMatchObject({
      mode: 'per-droplet',
      listRequests: 1,
      stateReads: 0,
      checkReads: 40,
      initiateRequests: 10,
      startRequests: 51,
      laterRequests: 50,
      followUpRequests: 10,
    });
    expect(tickBudget(unpark, 10)).toMatchObject({
      checkReads: 10,
      initiateRequests: 10,
      startRequests: 21,
      laterRequests: 70,
      followUpRequests: 0,
    });
  });
});

describe('sendDuration', () => {
  test.each([
    [250, 1, false],
    [5000, 20, false],
    [5001, 60.004, true],
    [12_000, 128, true],
  ])('given %d requests, then about %d minutes under both windows', (requests, minutes, hourBound) => {
    const duration = sendDuration(requests);
    expect(duration.minutes).toBeCloseTo(minutes, 6);
    expect(duration.minutesAtPerMinute).toBeCloseTo(requests / 250, 6);
    expect(duration.minutesAtPerHour).toBeCloseTo((requests / 5000) * 60, 6);
    expect(duration.hourBound).toBe(hourBound);
  });
});

describe('run windows', () => {
  test('given fire times, then the window is the shortest gap between consecutive ones', () => {
    const at = (iso: string) => new Date(iso);
    expect(
      runWindowMinutes([at('2026-01-01T00:00:00Z'), at('2026-01-01T00:30:00Z'), at('2026-01-01T00:40:00Z')]),
    ).toBe(10);
    expect(runWindowMinutes([at('2026-01-01T00:00:00Z')])).toBeUndefined();
  });

  test('given 3000 snapshots every 10 minutes, when checked, then it misses the window and says by how much', () => {
    const check = checkRunWindow(snapshotByTag, 3000, 10);
    expect(check.fits).toBe(false);
    expect(check.neededMinutes).toBeCloseTo(3015 / 250, 6);
    expect(check.overByMinutes).toBeCloseTo(3015 / 250 - 10, 6);
  });

  test('given a window, then maxTargetsInWindow is the largest count that fits', () => {
    const max = maxTargetsInWindow(snapshotByTag, 10);
    expect(checkRunWindow(snapshotByTag, max, 10).fits).toBe(true);
    expect(checkRunWindow(snapshotByTag, max + 1, 10).fits).toBe(false);
    expect(maxTargetsInWindow(powerOffByTag, 10)).toBe(Infinity);
  });
});

describe('formatMinutes', () => {
  test.each([
    [0.05, '<0.1 min'],
    [1.84, '1.8 min'],
    [8, '8 min'],
    [118.4, '118 min'],
    [1440, '24 h'],
    [1590, '26.5 h'],
  ])('given %d minutes, then %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('billing notice', () => {
  test('given power policies, then they are power schedules; snapshots and reboots are not', () => {
    expect(isPowerSchedule(powerOffByTag)).toBe(true);
    expect(isPowerSchedule(powerOnByIds)).toBe(true);
    expect(isPowerSchedule(snapshotByTag)).toBe(false);
    expect(isPowerSchedule(rebootByIds)).toBe(false);
    expect(BILLING_NOTICE).toMatch(/bills powered-off droplets/);
    expect(BILLING_NOTICE).not.toMatch(/sav(e|ing)s? \$|\d+ ?%/);
  });

  test('given workflows, then only one made of power steps alone is a power schedule', () => {
    expect(isPowerSchedule(offlineSnapshot)).toBe(false);
    expect(
      isPowerSchedule({ ...powerOffByTag, steps: [{ action: { type: 'power_on' }, timeoutMinutes: 5 }] }),
    ).toBe(true);
  });

  test('given parking policies, then neither is a power schedule, and the notice points to parking', () => {
    expect(isPowerSchedule(park)).toBe(false);
    expect(isPowerSchedule(unpark)).toBe(false);
    expect(BILLING_NOTICE).toContain('parkSchedule');
  });
});
