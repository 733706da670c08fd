import { killSchedule, minuteBoundariesBetween } from '../../scripts/chaos/kill-schedule';

/** A repeatable stand-in for Math.random. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('killSchedule', () => {
  const from = Date.parse('2026-11-27T08:00:10.000Z');
  const to = Date.parse('2026-11-27T08:04:20.000Z');
  const boundaries = minuteBoundariesBetween(from, to);

  test('given a window with four tick minutes, when five kills are planned, then they are in it, apart, and one follows each tick', () => {
    // Act
    const plan = killSchedule({ kills: 5, slots: 3, from, to, boundaries, random: seeded(7) });

    // Assess
    expect(plan).toHaveLength(5);
    for (const kill of plan) {
      expect(kill.at).toBeGreaterThanOrEqual(from);
      expect(kill.at).toBeLessThanOrEqual(to);
      expect([0, 1, 2]).toContain(kill.slot);
    }
    for (let i = 1; i < plan.length; i += 1)
      expect(plan[i]!.at - plan[i - 1]!.at).toBeGreaterThanOrEqual(4_000);
    for (const boundary of boundaries)
      expect(plan.some((kill) => kill.at > boundary && kill.at - boundary <= 6_000)).toBe(true);
  });

  test('given a window too short for the kills asked, when planned, then it stops at what fits instead of looping', () => {
    // Act
    const plan = killSchedule({
      kills: 5,
      slots: 3,
      from,
      to: from + 5_000,
      boundaries: [],
      random: seeded(1),
    });

    // Assess
    expect(plan.length).toBeLessThanOrEqual(2);
  });
});

describe('minuteBoundariesBetween', () => {
  test('given 08:00:10 to 08:04:20, when listed, then the four minutes 08:01 to 08:04', () => {
    // Act
    const listed = minuteBoundariesBetween(
      Date.parse('2026-11-27T08:00:10.000Z'),
      Date.parse('2026-11-27T08:04:20.000Z'),
    ).map((at) => new Date(at).toISOString().slice(11, 16));

    // Assess
    expect(listed).toEqual(['08:01', '08:02', '08:03', '08:04']);
  });
});
