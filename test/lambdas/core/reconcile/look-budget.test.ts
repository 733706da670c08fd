import { LookBudget } from '../../../../lambdas/core/reconcile/look-budget';
import { reconcileActions } from '../../../../lambdas/core/use-cases/reconcile-actions';
import { dispatchRun } from '../../../../lambdas/core/use-cases/dispatch-run';
import { virtualWorld } from '../../../../bench/support/virtual-world';
import { makePolicy } from '../../../support/make-policy';

const START = Date.parse('2026-11-27T02:00:00.000Z');
const MINUTE = 60_000;

describe('LookBudget', () => {
  it('given a fresh budget, allows one minute of the share, then fills at the share up to the burst', () => {
    const budget = new LookBudget({ share: 0.1, hourlyLimit: 5000, burstMinutes: 10, startedAt: START });

    expect(budget.allowance(START)).toBe(8);
    expect(budget.allowance(START + 5 * MINUTE)).toBe(50);
    expect(budget.allowance(START + 60 * MINUTE)).toBe(83);
  });

  it("given the hour's share spent at once, allows nothing more until those requests are an hour old", () => {
    const budget = new LookBudget({ share: 0.1, hourlyLimit: 1000, burstMinutes: 60, startedAt: START });
    budget.allowance(START);
    expect(budget.allowance(START + 60 * MINUTE)).toBe(100);
    budget.spend(START + 60 * MINUTE, 100);

    expect(budget.allowance(START + 100 * MINUTE)).toBe(0);
    expect(budget.allowance(START + 120 * MINUTE + 1)).toBe(100);
  });

  it.each([0, 1.5, Number.NaN])('given a share of %p, refuses it naming the field', (share) => {
    expect(() => new LookBudget({ share })).toThrow(
      /reconcile budget share: expected a fraction in \(0, 1\], got/,
    );
  });
});

describe('reconcileActions within a LookBudget, on the virtual clock', () => {
  it.each(['newest-first', 'oldest-first'] as const)(
    'given 1,000 finished actions and a budget of 2 requests a pass, reads at most 2 a pass and settles them all over later passes (list %s)',
    async (actionListOrder) => {
      // Prepare
      const { clock, simulator, runtime } = await virtualWorld({
        simulator: { droplets: 1_000, tags: { fleet: 1_000 }, rateLimit: false, actionListOrder },
      });
      const budget = new LookBudget({ share: (2 * 60) / 5000, burstMinutes: 1, startedAt: START });
      const policy = makePolicy({
        name: 'cycle',
        targets: { tag: 'fleet' },
        action: { type: 'power_cycle' },
      });

      // Act
      const { result: passes } = await clock.run(async () => {
        await dispatchRun(runtime, { policy, scheduledTime: new Date(START).toISOString() });
        const reports = [];
        for (let pass = 0; pass < 10; pass += 1) {
          await clock.sleep(MINUTE);
          const before = totalRequests(simulator.requestCounts());
          const report = await reconcileActions(runtime, { budget });
          reports.push({
            settled: report.completed,
            requests: totalRequests(simulator.requestCounts()) - before,
          });
        }
        return reports;
      });

      // Assess
      expect(Math.max(...passes.map((pass) => pass.requests))).toBeLessThanOrEqual(2);
      expect(passes.reduce((sum, pass) => sum + pass.settled, 0)).toBe(1_000);
      expect(passes[0]!.settled).toBeLessThan(1_000);
    },
  );
});

function totalRequests(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
