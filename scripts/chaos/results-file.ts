import { readFile, writeFile } from 'node:fs/promises';
import type { Figure } from '../../bench/figure';

/** Merges figures into bench/results.json the way `npm run bench` does: by name, keeping the rest. */
export async function mergeResults(file: string, figures: readonly Figure[]): Promise<void> {
  let previous: Record<string, number> = {};
  try {
    previous = JSON.parse(await readFile(file, 'utf8')) as Record<string, number>;
  } catch {
    previous = {};
  }
  const results = {
    ...previous,
    ...Object.fromEntries(figures.map((figure) => [figure.name, figure.value])),
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
