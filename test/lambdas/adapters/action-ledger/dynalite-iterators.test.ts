import { createRequire } from 'node:module';
import { startDynalite } from '../../../../lambdas/adapters/local/start-dynalite';

interface LevelIterator {
  next(): Promise<string | undefined>;
  return(): Promise<IteratorResult<never>>;
}
interface LevelDatabase {
  put(key: string, value: string): Promise<void>;
  values(): LevelIterator;
  close(): Promise<void>;
}

/** memory-level as dynalite itself loads it: the backend of an in-memory dynalite. */
function dynaliteMemoryLevel(): new () => LevelDatabase {
  const fromDynalite = createRequire(require.resolve('dynalite'));
  return (fromDynalite('memory-level') as { MemoryLevel: new () => LevelDatabase }).MemoryLevel;
}

describe('dynalite iterators', () => {
  test('given dynalite started, when a query stream returns its iterator early, then the iterator is closed', async () => {
    // Arrange
    const dynalite = await startDynalite();
    const MemoryLevel = dynaliteMemoryLevel();
    const db = new MemoryLevel();
    await db.put('a', '1');
    await db.put('b', '2');
    const iterator = db.values();
    await iterator.next();

    try {
      // Act
      const result = await iterator.return();

      // Assess
      expect(result).toEqual({ done: true, value: undefined });
      await expect(iterator.next()).rejects.toMatchObject({ code: 'LEVEL_ITERATOR_NOT_OPEN' });
    } finally {
      await db.close();
      await dynalite.close();
    }
  });
});
