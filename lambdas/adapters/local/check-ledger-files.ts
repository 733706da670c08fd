import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DamagedStoreError } from './damaged-store-error';

interface LevelDatabase {
  open(options: { readonly createIfMissing: boolean }): Promise<void>;
  keys(): AsyncIterable<unknown>;
  close(): Promise<void>;
}

/** LevelDB's own files, by which a directory is recognised as a ledger that must already be whole. */
const LEVELDB_FILE = /^(CURRENT|MANIFEST-\d+|\d+\.(ldb|sst|log))$/;

/**
 * Reads every key of the local ledger's LevelDB once, before dynalite serves it. dynalite opens
 * its database lazily and throws a failed open or read from inside a callback, which ends the
 * process with a stack trace (`Database is closed`, `LEVEL_IO_ERROR`); checked here, a damaged
 * `CURRENT`, `MANIFEST-*` or table file becomes one `DamagedStoreError` naming that file.
 *
 * The store itself is never touched: LevelDB rewrites its manifest and log whenever it opens a
 * database, so the check opens hard links of the files in a scratch directory beside them (table
 * files are immutable; LevelDB writes new files and renames, it never edits one in place), and a
 * missing `CURRENT` beside tables is refused before LevelDB would start an empty database.
 */
export async function checkLedgerFiles(ledgerDir: string): Promise<void> {
  if (!existsSync(ledgerDir)) return;
  const files = readdirSync(ledgerDir).filter((name) => LEVELDB_FILE.test(name));
  if (files.length === 0) return;
  const shown = (name: string) => path.join(ledgerDir, name);
  const manifest = currentManifest(ledgerDir, files, shown);
  // The same LevelDB binding dynalite uses, whichever copy of `level` npm installed for it.
  const { Level } = createRequire(require.resolve('dynalite'))('level') as {
    Level: new (location: string, options: object) => LevelDatabase;
  };
  const scratch = path.join(path.dirname(ledgerDir), `.ledger-check-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch);
  for (const name of files) {
    try {
      linkSync(shown(name), path.join(scratch, name));
    } catch {
      copyFileSync(shown(name), path.join(scratch, name));
    }
  }
  const db = new Level(scratch, {});
  try {
    await db.open({ createIfMissing: false });
    // Reading every key opens every table file, which is what finds a damaged one.
    for await (const key of db.keys()) void key;
  } catch (error) {
    const detail = levelMessage(error).split(`${scratch}${path.sep}`).join('');
    throw new DamagedStoreError(damagedFile(detail, manifest, shown), detail, path.dirname(ledgerDir));
  } finally {
    await db.close().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The manifest `CURRENT` names, checked as LevelDB would, but without writing anything. */
function currentManifest(
  ledgerDir: string,
  files: readonly string[],
  shown: (name: string) => string,
): string {
  const store = path.dirname(ledgerDir);
  if (!files.includes('CURRENT'))
    throw new DamagedStoreError(shown('CURRENT'), 'missing, beside the ledger files it should name', store);
  const current = readFileSync(shown('CURRENT'), 'utf8');
  const name = /^(MANIFEST-\d+)\n$/.exec(current)?.[1];
  if (name === undefined)
    throw new DamagedStoreError(
      shown('CURRENT'),
      `expected the name of a MANIFEST file and a newline, got ${JSON.stringify(current.slice(0, 40))}`,
      store,
    );
  if (!files.includes(name))
    throw new DamagedStoreError(shown('CURRENT'), `it names ${name}, which does not exist`, store);
  return name;
}

/** LevelDB's own words: the cause of a failed open, or the read error. */
function levelMessage(error: unknown): string {
  const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
  const text = typeof cause?.message === 'string' ? cause.message : String(message ?? error);
  return text.replace(/\s+/g, ' ');
}

/** The file LevelDB's message is about: a path it names, else the manifest for a "descriptor" error. */
function damagedFile(detail: string, manifest: string, shown: (name: string) => string): string {
  const named = /([\w.-]+\.(?:ldb|sst|log)|MANIFEST-\d+|CURRENT)\b/.exec(detail)?.[1];
  if (named) return shown(named);
  return shown(manifest);
}
