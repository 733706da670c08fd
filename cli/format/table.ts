/** One column of a text table. */
export interface TableColumn {
  readonly header: string;
  /** @default 'left' */
  readonly align?: 'left' | 'right';
  /**
   * Colours a cell after padding, so that escape codes never upset the alignment.
   * @default none
   */
  readonly paint?: (padded: string, value: string) => string;
}

/**
 * Aligned columns separated by two spaces, header first. Cells are plain text; widths are
 * measured before any colour is applied. Trailing spaces are trimmed.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  headerPaint: (text: string) => string = (text) => text,
): string[] {
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const pad = (text: string, index: number) =>
    columns[index]!.align === 'right' ? text.padStart(widths[index]!) : text.padEnd(widths[index]!);
  const header = columns.map((column, index) => headerPaint(pad(column.header, index))).join('  ');
  const body = rows.map((row) =>
    columns
      .map((column, index) => {
        const value = row[index] ?? '';
        const padded = pad(value, index);
        return column.paint ? column.paint(padded, value) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
  return [header.trimEnd(), ...body];
}
