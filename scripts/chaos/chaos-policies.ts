import type { ChaosProfile } from './chaos-profile';

/** Tags of the chaos fleet. */
export const BULK_TAG = 'chaos-bulk';
export const SNAPSHOT_TAG = 'chaos-snap';
export const SHUTDOWN_TAG = 'chaos-shut';

/** Policy names; `snap-keep` is also the prefix of its snapshot names (`snap-keep--<id>-`). */
export const SNAPSHOT_POLICY = 'snap-keep';
export const SNAPSHOT_KEEP_LAST = 2;

/** A policy as the harness writes it to YAML and later resolves its targets. */
export interface ChaosPolicySpec {
  readonly name: string;
  readonly schedule: string;
  readonly target: { readonly tag: string } | { readonly dropletIds: readonly number[] };
  readonly action: Readonly<Record<string, string | number>> & { readonly type: string };
  readonly keepLast?: number;
}

const EVEN_MINUTES = 'cron(0/2 * * * ? *)';
const ODD_MINUTES = 'cron(1/2 * * * ? *)';
const EVERY_MINUTE = 'cron(* * * * ? *)';

/**
 * The five policies: bulk power_off and power_cycle on one large tag (one request a tick each,
 * alternating minutes; power_cycle rather than power_on, which DigitalOcean errors on a droplet
 * already on, and each such error costs the reconciler a droplet lookup), a per-droplet snapshot with retention, a shutdown with a power_off
 * fallback, and a reboot by ids. The full run spreads the per-droplet ones over even and odd
 * minutes to stay inside the token's 250 requests a minute; the quick run has one tick minute, so
 * they fire every minute (on fewer droplets).
 */
export function chaosPolicies(
  profile: ChaosProfile,
  rebootIds: readonly number[],
  overlapIds: readonly number[] = [],
): ChaosPolicySpec[] {
  const quick = profile.name === 'quick';
  // Two policies rebooting the same droplets every minute, whose every POST loses its answer:
  // their claims overlap on each droplet and both must find their action by looking.
  const overlapping: ChaosPolicySpec[] =
    overlapIds.length === 0
      ? []
      : ['overlap-a', 'overlap-b'].map((name) => ({
          name,
          schedule: EVERY_MINUTE,
          target: { dropletIds: overlapIds },
          action: { type: 'reboot', timeoutMinutes: 30 },
        }));
  return [
    ...overlapping,
    { name: 'bulk-off', schedule: EVEN_MINUTES, target: { tag: BULK_TAG }, action: { type: 'power_off' } },
    { name: 'bulk-cycle', schedule: ODD_MINUTES, target: { tag: BULK_TAG }, action: { type: 'power_cycle' } },
    {
      name: SNAPSHOT_POLICY,
      schedule: quick ? EVERY_MINUTE : EVEN_MINUTES,
      target: { tag: SNAPSHOT_TAG },
      action: { type: 'snapshot' },
      keepLast: SNAPSHOT_KEEP_LAST,
    },
    {
      name: 'shut-fallback',
      schedule: quick ? EVERY_MINUTE : ODD_MINUTES,
      target: { tag: SHUTDOWN_TAG },
      action: { type: 'shutdown', fallback: 'power_off', timeoutMinutes: 1 },
    },
    {
      name: 'reboot-ids',
      schedule: quick ? EVERY_MINUTE : ODD_MINUTES,
      target: { dropletIds: rebootIds },
      action: { type: 'reboot' },
    },
  ];
}

/**
 * The policy file the scheduler processes load (UTC, so that minutes are plain wall-clock minutes).
 * Every policy ends with the chaos window: no tick fires while the ledger settles, so whatever is
 * still open at the end was left open by the faults, not started a moment before the count.
 */
export function policiesYaml(policies: readonly ChaosPolicySpec[], endDate: Date): string {
  const lines = [
    '# Written by scripts/chaos/run-chaos.ts for one chaos run.',
    'defaults:',
    '  timezone: UTC',
    'policies:',
  ];
  for (const policy of policies) {
    lines.push(
      `  - name: ${policy.name}`,
      `    schedule: ${policy.schedule}`,
      `    endDate: ${endDate.toISOString()}`,
    );
    lines.push(
      'tag' in policy.target
        ? `    targets: { tag: ${policy.target.tag} }`
        : `    targets: { dropletIds: [${policy.target.dropletIds.join(', ')}] }`,
    );
    const action = Object.entries(policy.action)
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ');
    lines.push(`    action: { ${action} }`);
    if (policy.keepLast !== undefined) lines.push(`    retention: { keepLast: ${policy.keepLast} }`);
  }
  return `${lines.join('\n')}\n`;
}
