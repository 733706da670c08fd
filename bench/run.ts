import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatFigure, meetsGoal, type BenchSuite, type Figure } from './figure';
import { suites } from './suites';

/**
 * `npm run bench [-- suite...]`: runs the suites in order, prints one figure per line as
 * `name value unit  goal  pass|MISS`, and merges the figures into bench/results.json.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const selected = Object.entries(suites).filter(([name]) => only.length === 0 || only.includes(name));
  const figures: Figure[] = [];
  for (const [name, suite] of selected) {
    await runSuite(name, suite, figures);
  }
  const resultsPath = path.join(__dirname, 'results.json');
  const previous = await readResults(resultsPath);
  const results = {
    ...previous,
    ...Object.fromEntries(figures.map((figure) => [figure.name, figure.value])),
  };
  await mkdir(path.dirname(resultsPath), { recursive: true });
  await writeFile(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  const misses = figures.filter((figure) => meetsGoal(figure) === false);
  console.log(
    `\n${figures.length} figures, ${misses.length} missed their goal; wrote ${path.relative(process.cwd(), resultsPath)}`,
  );
}

async function runSuite(name: string, suite: BenchSuite, figures: Figure[]): Promise<void> {
  console.log(`# ${name}`);
  await suite((figure) => {
    figures.push(figure);
    console.log(formatFigure(figure));
  });
}

async function readResults(file: string): Promise<Record<string, number>> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
