import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { JournalEntry, WorkQueueJournal } from '../in-memory/in-memory-work-queue';

const FILE_PATTERN = /^queue-(\d+)\.jsonl$/;

export interface OpenedJournal<T> {
  readonly journal: WorkQueueJournal<T>;
  /** Items queued by processes that died before finishing them, now this process's to deliver. */
  readonly restored: JournalEntry<T>[];
}

/**
 * A local work queue's journal: one append-only file per process (`queue-<pid>.jsonl`) in the
 * store, with a line per item sent and a line per item finished. SQS keeps work items safe from
 * a crash in AWS; this does the same for local mode, so that a `kill -9` between dispatch and
 * initiate loses nothing. On start, a process adopts the files of processes that are no longer
 * running (an atomic rename makes sure only one adopts each) and delivers their unfinished items
 * again; at least once, which initiate's claims make harmless.
 */
export function openFileQueueJournal<T>(storeDir: string, pid = process.pid): OpenedJournal<T> {
  mkdirSync(storeDir, { recursive: true });
  const restored: JournalEntry<T>[] = [];
  for (const name of readdirSync(storeDir)) {
    const match = FILE_PATTERN.exec(name);
    if (!match || Number(match[1]) === pid || isRunning(Number(match[1]))) continue;
    const adopting = path.join(storeDir, `${name}.adopted-by-${pid}`);
    try {
      renameSync(path.join(storeDir, name), adopting);
    } catch {
      continue; // another process adopted it first
    }
    restored.push(...unfinished<T>(readFileSync(adopting, 'utf8')));
    rmSync(adopting, { force: true });
  }
  const file = path.join(storeDir, `queue-${pid}.jsonl`);
  writeFileSync(
    file,
    restored.map((entry) => `${JSON.stringify({ sent: entry.id, item: entry.item })}\n`).join(''),
  );
  return {
    restored,
    journal: {
      sent: (entries) =>
        appendFileSync(
          file,
          entries.map((entry) => `${JSON.stringify({ sent: entry.id, item: entry.item })}\n`).join(''),
        ),
      removed: (id) => appendFileSync(file, `${JSON.stringify({ removed: id })}\n`),
    },
  };
}

function unfinished<T>(text: string): JournalEntry<T>[] {
  const pending = new Map<string, T>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: { sent?: string; item?: T; removed?: string };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      continue; // a line torn by the crash: its item was never acknowledged to the sender
    }
    if (record.sent !== undefined) pending.set(record.sent, record.item as T);
    if (record.removed !== undefined) pending.delete(record.removed);
  }
  return [...pending].map(([id, item]) => ({ id, item }));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
