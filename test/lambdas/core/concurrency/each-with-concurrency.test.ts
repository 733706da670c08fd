import { eachWithConcurrency } from '../../../../lambdas/core/concurrency/each-with-concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('eachWithConcurrency', () => {
  test('given 50 items and a limit of 8, when each call waits a little, then every item runs once and never more than 8 at a time', async () => {
    // Arrange
    const items = Array.from({ length: 50 }, (_, index) => index);
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;

    // Act
    await eachWithConcurrency(items, 8, async (item) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      seen.push(item);
      inFlight -= 1;
    });

    // Assess
    expect([...seen].sort((a, b) => a - b)).toEqual(items);
    expect(most).toBe(8);
  });

  test('given a call that rejects, when the others are in flight, then the whole rejects with that error', async () => {
    // Act
    const run = eachWithConcurrency([1, 2, 3, 4], 2, async (item) => {
      await tick();
      if (item === 3) throw new Error('item 3 failed');
    });

    // Assess
    await expect(run).rejects.toThrow('item 3 failed');
  });

  test('given no items, when run, then nothing is called and it resolves', async () => {
    // Arrange
    const work = jest.fn(async () => undefined);

    // Act
    await eachWithConcurrency([], 4, work);

    // Assess
    expect(work).not.toHaveBeenCalled();
  });
});
