import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderFiguresTable, withFigures } from '../../scripts/readme-figures';

const root = path.join(__dirname, '../..');

describe('the README figures table', () => {
  it('matches bench/results.json (run npm run bench:readme after npm run bench)', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const results = JSON.parse(readFileSync(path.join(root, 'bench/results.json'), 'utf8')) as Record<
      string,
      number
    >;
    expect(readme).toBe(withFigures(readme, results));
  });

  it('marks a figure that misses its goal', () => {
    expect(renderFiguresTable({ 'bulk.api_requests': 4 })).toContain('| 4  | ≤ 3 | **miss** |');
  });
});
