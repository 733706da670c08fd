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
  /** Adopted journals with lines that could not be read, each kept aside for a person to look at. */
  readonly damaged: DamagedJournal[];
}

/** A journal with unreadable lines (a crash mid-write, a disk that filled up). */
export interface DamagedJournal {
  /** Where the journal was kept, unchanged, instead of being deleted. */
  readonly keptAs: string;
  /** How many lines could not be read. */
  readonly lines: number;
  /**
   * What the unreadable lines still show of the items they held (`policy @ tick, droplet N`), for
   * a line cut short after those fields; an item queued there may never be started.
   */
  readonly items: string[];
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
  const damaged: DamagedJournal[] = [];
  for (const name of readdirSync(storeDir)) {
    const match = FILE_PATTERN.exec(name);
    if (!match || Number(match[1]) === pid || isRunning(Number(match[1]))) continue;
    const adopting = path.join(storeDir, `${name}.adopted-by-${pid}`);
    try {
      renameSync(path.join(storeDir, name), adopting);
    } catch {
      continue; // another process adopted it first
    }
    const read = unfinished<T>(readFileSync(adopting, 'utf8'));
    restored.push(...read.entries);
    if (read.torn.length === 0) {
      rmSync(adopting, { force: true });
    } else {
      // Kept, not deleted: the lines it could not read may hold an item nobody will start.
      const keptAs = path.join(storeDir, `${name}.damaged`);
      renameSync(adopting, keptAs);
      damaged.push({ keptAs, lines: read.torn.length, items: read.torn.flatMap(describeTornLine) });
    }
  }
  const file = path.join(storeDir, `queue-${pid}.jsonl`);
  writeFileSync(
    file,
    restored.map((entry) => `${JSON.stringify({ sent: entry.id, item: entry.item })}\n`).join(''),
  );
  return {
    restored,
    damaged,
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

function unfinished<T>(text: string): { entries: JournalEntry<T>[]; torn: string[] } {
  const pending = new Map<string, T>();
  const torn: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let record: { sent?: string; item?: T; removed?: string };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      torn.push(line);
      continue;
    }
    if (record.sent !== undefined) pending.set(record.sent, record.item as T);
    if (record.removed !== undefined) pending.delete(record.removed);
  }
  return { entries: [...pending].map(([id, item]) => ({ id, item })), torn };
}

/** The policy, tick and droplet a torn `sent` line still shows, when it got that far. */
function describeTornLine(line: string): string[] {
  const field = (name: string) => new RegExp(`"${name}":"?([^",}]+)`).exec(line)?.[1];
  const [policy, tick, droplet] = [field('policy'), field('scheduledTime'), field('dropletId')];
  return policy && tick && droplet ? [`${policy} @ ${tick}, droplet ${droplet}`] : [];
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
