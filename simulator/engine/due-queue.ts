/** A binary min-heap of (dueAt, id), so that settling touches only the actions that are due. */
export class DueQueue {
  private readonly heap: Array<{ dueAt: number; id: number }> = [];

  get size(): number {
    return this.heap.length;
  }

  push(dueAt: number, id: number): void {
    const heap = this.heap;
    heap.push({ dueAt, id });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (heap[parent]!.dueAt <= heap[index]!.dueAt) break;
      [heap[parent], heap[index]] = [heap[index]!, heap[parent]!];
      index = parent;
    }
  }

  /** Removes and returns the ids due at or before `now`, earliest first. */
  popDue(now: number): number[] {
    const due: number[] = [];
    while (this.heap.length > 0 && this.heap[0]!.dueAt <= now) {
      due.push(this.pop());
    }
    return due;
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && heap[left]!.dueAt < heap[smallest]!.dueAt) smallest = left;
        if (right < heap.length && heap[right]!.dueAt < heap[smallest]!.dueAt) smallest = right;
        if (smallest === index) break;
        [heap[smallest], heap[index]] = [heap[index]!, heap[smallest]!];
        index = smallest;
      }
    }
    return top.id;
  }
}
