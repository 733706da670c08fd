/** A CSV cell: empty for null or undefined. */
export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180: a field with a comma, a double quote, CR or LF is quoted, and its quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record per row after the header, every line ended by CRLF as RFC 4180 asks. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/**
 * Records as CSV, a column per field in order, for `output.line()`: it adds the last record's LF
 * itself, so the text stops after that record's CR.
 */
export function recordsCsv<Field extends string>(
  fields: readonly Field[],
  records: readonly { readonly [key in Field]: CsvValue }[],
): string {
  return toCsv(
    fields,
    records.map((record) => fields.map((field) => record[field])),
  ).slice(0, -1);
}
