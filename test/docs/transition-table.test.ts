import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderTransitionTable } from '../../scripts/transition-table';

/** A markdown table's rows as trimmed cells, without the separator row: the same table however it is padded. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((row) =>
      row
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((row) => !row.every((cell) => /^:?-+:?$/.test(cell)));
}

describe('docs/architecture.md', () => {
  it('shows the transition table exactly as the state machine has it, row for row', () => {
    const doc = readFileSync(path.join(__dirname, '../../docs/architecture.md'), 'utf8');
    const match = /<!-- transitions:start -->\n([\s\S]*?)\n<!-- transitions:end -->/.exec(doc);
    expect(match).not.toBeNull();
    expect(cells(match?.[1] ?? '')).toEqual(cells(renderTransitionTable()));
  });
});
