import { DiscreteEventClock } from '../../bench/support/discrete-event-clock';

const START = Date.parse('2026-11-27T02:00:00.000Z');

describe('the discrete-event clock', () => {
  it('given waits of an hour, when run, then simulated time moves by exactly that and wakes in time order', async () => {
    // Prepare
    const clock = new DiscreteEventClock(START);
    const woke: string[] = [];
    const waiter = async (name: string, ms: number) => {
      await clock.sleep(ms);
      woke.push(`${name}@${clock.now() - START}`);
    };

    // Act
    const run = await clock.run(() =>
      Promise.all([waiter('late', 3_600_000), waiter('early', 1_000), waiter('tie', 1_000)]),
    );

    // Assess
    expect(run.elapsedMs).toBe(3_600_000);
    expect(woke).toEqual(['early@1000', 'tie@1000', 'late@3600000']);
  });

  it('given a sleep whose signal aborts, when run, then the sleeper wakes at once and time does not jump to its end', async () => {
    const clock = new DiscreteEventClock(START);
    const controller = new AbortController();

    const run = await clock.run(async () => {
      const long = clock.sleep(86_400_000, controller.signal);
      await clock.sleep(5_000);
      controller.abort();
      await long;
      return clock.now() - START;
    });

    expect(run.result).toBe(5_000);
  });

  it('given a workload that waits on nothing the clock can wake, when run, then it says so instead of hanging', async () => {
    const clock = new DiscreteEventClock(START);

    await expect(clock.run(() => new Promise(() => undefined))).rejects.toThrow(
      /waits on something other than the discrete-event clock/,
    );
  });

  it('given a workload that outlives maxSimulatedMs, when run, then it fails naming the limit', async () => {
    const clock = new DiscreteEventClock(START);

    await expect(
      clock.run(
        async () => {
          for (;;) await clock.sleep(60_000);
        },
        { maxSimulatedMs: 600_000 },
      ),
    ).rejects.toThrow(/ran past 600000 simulated ms/);
  });
});
