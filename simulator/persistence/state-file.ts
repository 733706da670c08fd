import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** What reading a state file found. */
export type StateFileRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'read'; readonly text: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

export function readStateFile(file: string): StateFileRead {
  try {
    return { kind: 'read', text: readFileSync(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'unreadable', reason: (error as Error).message };
  }
}

/**
 * Writes the file whole or not at all: to a temporary file beside it, then a rename, which
 * replaces the old one atomically. Synchronous on purpose: the write completes before the
 * simulator answers the request that caused it, so an answered request is always on disk.
 */
export function writeStateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Moves a damaged file aside (kept for a look), so that the next write does not destroy it. Returns its new name. */
export function setAside(file: string, now: number): string | undefined {
  const aside = `${file}.damaged-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, aside);
    return aside;
  } catch {
    return undefined;
  }
}
