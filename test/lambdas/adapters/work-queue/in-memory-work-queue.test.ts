import { drainWorkQueue } from '../../../../lambdas/adapters/in-memory/drain-work-queue';
import { InMemoryWorkQueue } from '../../../../lambdas/adapters/in-memory/in-memory-work-queue';
import { describeWorkQueueContract } from './work-queue-contract';

describeWorkQueueContract('InMemoryWorkQueue', () => {
  const sentAt = 1_000_000;
  const queue = new InMemoryWorkQueue<unknown>({ now: () => sentAt });
  return {
    queue,
    received: () =>
      queue.waiting().map(({ item, visibleAt }) => ({ item, delaySeconds: (visibleAt - sentAt) / 1000 })),
  };
});

describe('InMemoryWorkQueue', () => {
  it('keeps a delayed item invisible until its delay has passed', async () => {
    // Prepare
    let now = 0;
    const queue = new InMemoryWorkQueue<string>({ now: () => now });
    await queue.send(['later'], { delaySeconds: 30 });
    const handled: string[] = [];
    const handler = async (item: string) => void handled.push(item);
    // Act
    now = 29_999;
    const early = await queue.deliver(handler);
    now = 30_000;
    const onTime = await queue.deliver(handler);
    // Assess
    expect([early, onTime, handled]).toEqual([0, 1, ['later']]);
    expect(queue.size).toBe(0);
  });

  it('redelivers a failed item after the visibility timeout and dead-letters it after the last attempt', async () => {
    let now = 0;
    const queue = new InMemoryWorkQueue<string>({
      now: () => now,
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 10,
    });
    await queue.send(['poison']);
    const failing = async () => {
      throw new Error('boom');
    };

    await queue.deliver(failing);
    expect(await queue.deliver(failing)).toBe(0); // still invisible
    now = 10_000;
    await queue.deliver(failing);

    expect(queue.size).toBe(0);
    expect(queue.deadLetters).toEqual(['poison']);
  });

  it('scales delays for time-scaled local runs', async () => {
    const queue = new InMemoryWorkQueue<string>({ now: () => 0, delayScale: 0.01 });
    await queue.send(['soon'], { delaySeconds: 100 });
    expect(queue.nextVisibleAt()).toBe(1000);
  });

  it('drains delayed items in real time and returns how many are left', async () => {
    const queue = new InMemoryWorkQueue<number>({ delayScale: 0.001 });
    await queue.send([1, 2, 3]);
    await queue.send([4], { delaySeconds: 50 });
    const handled: number[] = [];

    const left = await drainWorkQueue(queue, async (item) => void handled.push(item), { timeoutMs: 5_000 });

    expect(left).toBe(0);
    expect(handled.sort()).toEqual([1, 2, 3, 4]);
  });

  it('stops draining when its signal aborts and leaves the rest queued', async () => {
    const queue = new InMemoryWorkQueue<number>();
    await queue.send([1], { delaySeconds: 60 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const left = await drainWorkQueue(queue, async () => undefined, {
      timeoutMs: 5_000,
      signal: controller.signal,
    });

    expect(left).toBe(1);
  });
});
