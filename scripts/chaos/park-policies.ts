/** The parking groups of the park chaos run: each its own tag, and its own allowances. */
export interface ParkGroup {
  /** The tag its droplets carry, and the stem of its policies' names. */
  readonly tag: string;
  readonly allowIpChange: boolean;
  readonly allowBackupLoss: boolean;
  /** Park snapshots each unpark keeps (`keepSnapshots`). */
  readonly keepSnapshots: number;
  /** Whether its droplets must be left untouched (skipped at every park: a loss not allowed). */
  readonly skipped: boolean;
}

/**
 * - `park-fleet`: droplets with a reserved IP (and volumes, firewalls by id, a project, IPv6) and
 *   without one; `allowIpChange` for the latter.
 * - `park-backed`: droplets with backups and a reserved IP; `allowBackupLoss`, and each unpark
 *   keeps the newest park snapshot.
 * - `park-strict`: a droplet without a reserved IP and one with backups, under a policy that allows
 *   neither: every park skips both, and nothing may touch them.
 */
export const PARK_GROUPS = {
  fleet: { tag: 'park-fleet', allowIpChange: true, allowBackupLoss: false, keepSnapshots: 0, skipped: false },
  backed: {
    tag: 'park-backed',
    allowIpChange: false,
    allowBackupLoss: true,
    keepSnapshots: 1,
    skipped: false,
  },
  strict: {
    tag: 'park-strict',
    allowIpChange: false,
    allowBackupLoss: false,
    keepSnapshots: 0,
    skipped: true,
  },
} as const satisfies Record<string, ParkGroup>;

/** One park → unpark cycle of one group: the `parkSchedule` policy that makes `<name>-park` and `<name>-unpark`. */
export interface ParkCycle {
  /** The `parkSchedule` policy's name; its two policies are `<name>-park` and `<name>-unpark`. */
  readonly name: string;
  readonly group: ParkGroup;
  /** When it parks and unparks (epoch ms, on whole UTC minutes). */
  readonly parkAt: number;
  readonly unparkAt: number;
}

export interface ParkPlanOptions {
  /** The first park minute (epoch ms, on a whole minute). */
  readonly firstPark: number;
  readonly cycles: number;
  /** Minutes from a park to its unpark, and from an unpark to the next cycle's park. */
  readonly parkMinutes: number;
  readonly runMinutes: number;
  readonly groups: readonly ParkGroup[];
}

/**
 * The cycles of a run, one `parkSchedule` per group and cycle: `parkSchedule` fires once a day at
 * its times, so several cycles in one run take one policy each, all on the same tags. A droplet
 * parked by `park-fleet-c1-park` comes back through `park-fleet-c1-unpark`, and the next cycle's
 * policy parks the droplet that replaced it (the tag carries over).
 */
export function parkPlan(options: ParkPlanOptions): ParkCycle[] {
  const minute = 60_000;
  const cycles: ParkCycle[] = [];
  for (let cycle = 0; cycle < options.cycles; cycle += 1) {
    const parkAt = options.firstPark + cycle * (options.parkMinutes + options.runMinutes) * minute;
    for (const group of options.groups) {
      cycles.push({
        name: `${group.tag}-c${cycle + 1}`,
        group,
        parkAt,
        unparkAt: parkAt + options.parkMinutes * minute,
      });
    }
  }
  return cycles;
}

/**
 * The policy file of a park chaos run (UTC, every day, so that `HH:MM` is the wall-clock minute).
 * Every policy ends with the chaos window, as in the standard run: nothing starts while the ledger
 * settles. The `-unpark` policy shares the `-park` one's `endDate`, so it must fall inside too.
 */
export function parkPoliciesYaml(cycles: readonly ParkCycle[], endDate: Date): string {
  const lines = [
    '# Written by scripts/chaos/park-scenario.ts for one park chaos run.',
    'defaults:',
    '  timezone: UTC',
    'policies:',
  ];
  for (const cycle of cycles) {
    const { group } = cycle;
    lines.push(
      `  - name: ${cycle.name}`,
      `    parkSchedule: { park: '${hhmm(cycle.parkAt)}', unpark: '${hhmm(cycle.unparkAt)}', days: SUN-SAT }`,
      `    endDate: ${endDate.toISOString()}`,
      `    targets: { tag: ${group.tag} }`,
      `    allowIpChange: ${group.allowIpChange}`,
      `    allowBackupLoss: ${group.allowBackupLoss}`,
      `    keepSnapshots: ${group.keepSnapshots}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function hhmm(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}
