import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryWorkQueue } from '../../../../lambdas/adapters/in-memory/in-memory-work-queue';
import { openFileQueueJournal } from '../../../../lambdas/adapters/local/file-queue-journal';

/** A pid no process has: the kernel's pid_max is far below it. */
const DEAD_PID = 2 ** 30;

describe('openFileQueueJournal', () => {
  let storeDir: string;
  beforeEach(async () => {
    storeDir = await mkdtemp(path.join(tmpdir(), 'queue-'));
  });
  afterEach(() => rm(storeDir, { recursive: true, force: true }));

  it('given a process that died with items queued, delivers its unfinished items to the next process', async () => {
    // Prepare: a process queues three items and finishes one, then dies.
    const crashed = openFileQueueJournal<{ dropletId: number }>(storeDir, DEAD_PID);
    const before = new InMemoryWorkQueue<{ dropletId: number }>({ journal: crashed.journal });
    await before.send([{ dropletId: 1 }, { dropletId: 2 }, { dropletId: 3 }]);
    await before.deliver(async () => undefined, 1);

    // Act
    const next = openFileQueueJournal<{ dropletId: number }>(storeDir);
    const after = new InMemoryWorkQueue({ journal: next.journal, restored: next.restored });

    // Assess
    expect(after.waiting().map(({ item }) => item.dropletId)).toEqual([2, 3]);
    expect(await readdir(storeDir)).toEqual([`queue-${process.pid}.jsonl`]);
  });

  it('leaves the journal of a process that is still running alone', async () => {
    const running = openFileQueueJournal<number>(storeDir, process.ppid);
    new InMemoryWorkQueue<number>({ journal: running.journal }).send([7]);

    const mine = openFileQueueJournal<number>(storeDir);

    expect(mine.restored).toEqual([]);
    expect((await readdir(storeDir)).sort()).toEqual(
      [`queue-${process.pid}.jsonl`, `queue-${process.ppid}.jsonl`].sort(),
    );
  });

  it('keeps what is restored safe across a second crash', async () => {
    const first = openFileQueueJournal<string>(storeDir, DEAD_PID);
    await new InMemoryWorkQueue<string>({ journal: first.journal }).send(['only']);
    const second = openFileQueueJournal<string>(storeDir, DEAD_PID - 1);

    const third = openFileQueueJournal<string>(storeDir);

    expect(second.restored.map((entry) => entry.item)).toEqual(['only']);
    expect(third.restored.map((entry) => entry.item)).toEqual(['only']);
  });
});
