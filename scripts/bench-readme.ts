import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withFigures } from './readme-figures';

/** `npm run bench:readme`: rewrites the README's figures table from bench/results.json. */
async function main(): Promise<void> {
  const root = path.join(__dirname, '..');
  const results = JSON.parse(await readFile(path.join(root, 'bench/results.json'), 'utf8')) as Record<
    string,
    number
  >;
  const readmePath = path.join(root, 'README.md');
  await writeFile(readmePath, withFigures(await readFile(readmePath, 'utf8'), results));
  console.log('README.md figures updated from bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
