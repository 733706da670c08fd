import type { WorkQueue } from '../../../../lambdas/core/ports/work-queue';

export interface ReceivedItem {
  readonly item: unknown;
  readonly delaySeconds: number;
}

export interface WorkQueueHarness {
  readonly queue: WorkQueue<unknown>;
  /** Everything the queue has accepted so far, as its consumer would see it. */
  received(): ReceivedItem[];
}

/** The behaviour every `WorkQueue` adapter promises; run once per adapter. */
export function describeWorkQueueContract(name: string, createHarness: () => WorkQueueHarness): void {
  describe(`${name} (WorkQueue contract)`, () => {
    it('accepts every item exactly once, whatever the batch size', async () => {
      // Prepare
      const harness = createHarness();
      const items = Array.from({ length: 25 }, (_, index) => ({ dropletId: index + 1, policy: 'nightly' }));
      // Act
      await harness.queue.send(items);
      // Assess
      const ids = harness.received().map(({ item }) => (item as { dropletId: number }).dropletId);
      expect(ids.sort((a, b) => a - b)).toEqual(items.map((item) => item.dropletId));
    });

    it('carries the requested delay with each item', async () => {
      const harness = createHarness();
      await harness.queue.send([{ dropletId: 7 }], { delaySeconds: 120 });
      expect(harness.received()).toEqual([{ item: { dropletId: 7 }, delaySeconds: 120 }]);
    });

    it('hands the consumer a copy, as a real queue would', async () => {
      const harness = createHarness();
      const item = { dropletId: 9, nested: { attempts: 1 } };
      await harness.queue.send([item]);
      item.nested.attempts = 2;
      expect(harness.received()[0]?.item).toEqual({ dropletId: 9, nested: { attempts: 1 } });
    });

    it('accepts an empty send without error', async () => {
      const harness = createHarness();
      await harness.queue.send([]);
      expect(harness.received()).toEqual([]);
    });
  });
}
