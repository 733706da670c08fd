import type { Colors } from '../output';

/**
 * Plain columns separated by two spaces, the header in bold on a TTY. Widths are measured on the
 * uncoloured text, so colour codes in cells never shift a column.
 */
export function renderTextTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  colors?: Colors,
): string[] {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
  const visible = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
  const widths = header.map((title, column) =>
    Math.max(visible(title).length, ...rows.map((row) => visible(row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - visible(cell).length),
      )
      .join('  ')
      .trimEnd();
  const bold = colors?.bold ?? ((text: string) => text);
  return [bold(line(header)), ...rows.map(line)];
}
