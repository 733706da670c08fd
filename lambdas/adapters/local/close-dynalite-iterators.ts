import { createRequire } from 'node:module';

interface IteratorClass {
  prototype: { return?: () => Promise<IteratorResult<never>>; close(): Promise<void> };
}

let patched = false;

/**
 * dynalite 4.0.0 wraps each Query and Scan's LevelDB iterator in a stream whose `destroy` calls
 * `iterator.return()`, a method abstract-level 3 iterators do not have; so no iterator is ever
 * closed. Each one stays in its database's resource set and pins a LevelDB snapshot, and a
 * long-running `local` grew by hundreds of MB an hour from it. Giving the iterators a `return`
 * that closes them makes dynalite's own cleanup work. Patched once, on the copies of
 * abstract-level that dynalite's two backends (on disk and in memory) really load.
 */
export function closeDynaliteIterators(): void {
  if (patched) return;
  patched = true;
  const fromDynalite = createRequire(require.resolve('dynalite'));
  const fromClassicLevel = createRequire(
    createRequire(fromDynalite.resolve('level')).resolve('classic-level'),
  );
  const fromMemoryLevel = createRequire(fromDynalite.resolve('memory-level'));
  const modules = new Set([
    fromClassicLevel.resolve('abstract-level'),
    fromMemoryLevel.resolve('abstract-level'),
  ]);
  for (const path of modules) {
    const abstractLevel = fromDynalite(path) as Record<string, IteratorClass | undefined>;
    for (const name of ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator']) {
      const prototype = abstractLevel[name]?.prototype;
      if (prototype === undefined || Object.prototype.hasOwnProperty.call(prototype, 'return')) continue;
      prototype.return = async function (this: { close(): Promise<void> }) {
        await this.close();
        return { done: true, value: undefined as never };
      };
    }
  }
}
