import { loadPolicies } from '../../lambdas/core/policy';
import { fireTimes } from '../../lambdas/core/schedule';
import { argumentsFrom } from '../../scripts/chaos/chaos-profile';
import { PARK_GROUPS, parkPlan, parkPoliciesYaml } from '../../scripts/chaos/park-policies';

describe('park chaos policy file', () => {
  const firstPark = Date.parse('2026-11-30T15:35:00.000Z');
  const cycles = parkPlan({
    firstPark,
    cycles: 2,
    parkMinutes: 3,
    runMinutes: 2,
    groups: Object.values(PARK_GROUPS),
  });
  const windowEnd = new Date('2026-11-30T15:46:30.000Z');

  test('given two cycles of three groups, when planned, then each group parks at the cycle start and unparks parkMinutes later', () => {
    // Assess
    expect(cycles.map((cycle) => [cycle.name, new Date(cycle.parkAt).toISOString().slice(11, 16)])).toEqual([
      ['park-fleet-c1', '15:35'],
      ['park-backed-c1', '15:35'],
      ['park-strict-c1', '15:35'],
      ['park-fleet-c2', '15:40'],
      ['park-backed-c2', '15:40'],
      ['park-strict-c2', '15:40'],
    ]);
    for (const cycle of cycles) expect(cycle.unparkAt - cycle.parkAt).toBe(3 * 60_000);
  });

  test('given the plan, when its file is loaded, then each cycle expands into a -park and an -unpark policy firing once in the window at its minute', () => {
    // Act
    const { policies } = loadPolicies(parkPoliciesYaml(cycles, windowEnd), 'park-policies.yaml');

    // Assess
    expect(policies).toHaveLength(cycles.length * 2);
    for (const cycle of cycles) {
      const park = policies.find((policy) => policy.name === `${cycle.name}-park`)!;
      const unpark = policies.find((policy) => policy.name === `${cycle.name}-unpark`)!;
      expect(park.parking).toMatchObject({
        role: 'park',
        parkPolicy: `${cycle.name}-park`,
        allowIpChange: cycle.group.allowIpChange,
        allowBackupLoss: cycle.group.allowBackupLoss,
        keepSnapshots: cycle.group.keepSnapshots,
      });
      expect(unpark.parking).toMatchObject({ role: 'unpark', parkPolicy: `${cycle.name}-park` });
      expect(park.targets).toEqual({ tag: cycle.group.tag });
      for (const [policy, at] of [
        [park, cycle.parkAt],
        [unpark, cycle.unparkAt],
      ] as const) {
        expect(policy.endDate).toBe(windowEnd.toISOString());
        const fires = [
          ...fireTimes(policy.schedule, {
            timezone: policy.timezone,
            from: new Date(firstPark - 60_000),
            endDate: windowEnd,
          }),
        ].map((fire) => fire.getTime());
        expect(fires).toEqual([at]);
      }
    }
  });
});

describe('chaos arguments', () => {
  test('given no arguments, when read, then the standard profile runs once in full', () => {
    expect(argumentsFrom([])).toEqual({ kind: 'standard', quick: false, runs: 1 });
  });

  test('given --profile park --quick --runs 2, when read, then the park profile runs twice, short', () => {
    expect(argumentsFrom(['--profile', 'park', '--quick', '--runs', '2'])).toEqual({
      kind: 'park',
      quick: true,
      runs: 2,
    });
  });

  test('given an unknown profile, when read, then the error names the flag, the value and what was expected', () => {
    expect(() => argumentsFrom(['--profile', 'parking'])).toThrow(
      'run-chaos: --profile: expected standard or park, got: "parking"',
    );
  });
});
