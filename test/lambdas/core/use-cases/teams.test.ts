import { InMemoryActionLedger } from '../../../../lambdas/adapters/in-memory/in-memory-action-ledger';
import { drainWorkQueue } from '../../../../lambdas/adapters/in-memory/drain-work-queue';
import { loadPolicies, PolicyValidationError } from '../../../../lambdas/core/policy';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { initiateAction } from '../../../../lambdas/core/use-cases/initiate-action';
import { readAudit } from '../../../../lambdas/core/use-cases/read-audit';
import { DiscreteEventClock } from '../../../../bench/support/discrete-event-clock';
import { virtualWorld, VIRTUAL_EPOCH } from '../../../../bench/support/virtual-world';
import { makePolicy } from '../../../support/make-policy';

const FILE = (team: string) => `
defaults:
  timezone: UTC
  team: platform
policies:
  - name: nightly
    schedule: cron(0 2 * * ? *)
    targets: { tag: db }
    action: { type: snapshot }
  - name: staging-off
    team: ${team}
    schedule: cron(0 20 * * ? *)
    targets: { tag: staging }
    action: { type: power_off }
`;

describe('teams in policies', () => {
  it('given defaults.team and a policy naming its own, when loaded, then each policy carries its team', () => {
    const { policies } = loadPolicies(FILE('web-shop'), 'policies.yaml');

    expect(policies.map((policy) => [policy.name, policy.team])).toEqual([
      ['nightly', 'platform'],
      ['staging-off', 'web-shop'],
    ]);
  });

  it('given a team name with capitals, when loaded, then one issue names the field, the value and the rule', () => {
    let issues: readonly { path: string; received: string; message: string }[] = [];
    try {
      loadPolicies(FILE('Web Shop'), 'policies.yaml');
    } catch (error) {
      if (!(error instanceof PolicyValidationError)) throw error;
      issues = error.issues;
    }

    expect(issues).toEqual([
      expect.objectContaining({
        path: 'policies[1].team',
        received: '"Web Shop"',
        message: expect.stringContaining('lower-case letters, digits or "-"'),
      }),
    ]);
  });
});

describe('teams in the ledger, on the virtual clock', () => {
  it("given two teams' policies on one tick, when dispatched and started, then every item names its team and audit --team finds only that team's", async () => {
    // Prepare
    const clock = new DiscreteEventClock(VIRTUAL_EPOCH);
    const ledger = new InMemoryActionLedger({ now: () => clock.now() });
    const worlds = await Promise.all(
      ['platform', 'web-shop'].map(async (team) => {
        const world = await virtualWorld({ clock, ledger, simulator: { droplets: 3, rateLimit: false } });
        const ids = world.simulator.state().droplets.map((droplet) => droplet.id);
        const policy = makePolicy({
          name: `${team}-reboot`,
          team,
          targets: { dropletIds: ids },
          action: { type: 'reboot' },
        });
        return { world, policy };
      }),
    );

    // Act
    await clock.run(() =>
      Promise.all(
        worlds.map(async ({ world, policy }) => {
          await dispatchRun(world.runtime, { policy, scheduledTime: new Date(VIRTUAL_EPOCH).toISOString() });
          await drainWorkQueue(
            world.runtime.queue,
            async (item) => void (await initiateAction(world.runtime, item)),
            {
              timeoutMs: 60_000,
              clock,
            },
          );
        }),
      ),
    );
    const range = {
      from: new Date(VIRTUAL_EPOCH - 60_000).toISOString(),
      to: new Date(clock.now() + 60_000).toISOString(),
    };
    const audit = await readAudit(ledger, {
      ...range,
      team: 'web-shop',
      limit: 100,
      includeDeletions: false,
    });

    // Assess
    expect(audit.entries).toHaveLength(3);
    expect(
      audit.entries.every(
        (entry) => entry.record.team === 'web-shop' && entry.record.policy === 'web-shop-reboot',
      ),
    ).toBe(true);
    const run = await ledger.queryByPolicy('platform-reboot', {});
    expect(run.items.map((item) => item.team)).toEqual(['platform', 'platform', 'platform', 'platform']);
  });
});
