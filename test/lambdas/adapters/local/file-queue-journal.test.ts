import { mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
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

  it('given a journal cut short in the middle of a line, delivers what it can read, keeps the file aside and reports what the torn line held', async () => {
    // Prepare: two items queued, then the file loses its last bytes (a crash, a full disk).
    // As in a work item, the action and the rest follow the policy, the tick and the droplet.
    const item = (dropletId: number) => ({
      policy: 'nightly',
      scheduledTime: '2026-11-27T01:00:00.000Z',
      dropletId,
      action: { type: 'snapshot' },
    });
    const crashed = openFileQueueJournal<ReturnType<typeof item>>(storeDir, DEAD_PID);
    new InMemoryWorkQueue({ journal: crashed.journal }).send([item(1), item(2)]);
    const file = path.join(storeDir, `queue-${DEAD_PID}.jsonl`);
    await truncate(file, (await stat(file)).size - 5);
    const text = await readFile(file, 'utf8');

    // Act
    const next = openFileQueueJournal<{ dropletId: number }>(storeDir);

    // Assess
    expect(next.restored.map(({ item }) => item.dropletId)).toEqual([1]);
    expect(next.damaged).toEqual([
      {
        keptAs: `${file}.damaged`,
        lines: 1,
        items: ['nightly @ 2026-11-27T01:00:00.000Z, droplet 2'],
      },
    ]);
    expect(await readFile(`${file}.damaged`, 'utf8')).toBe(text);
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
