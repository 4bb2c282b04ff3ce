/**
 * CSV that Excel with Indonesian regional settings opens in columns: `;` separators (the list
 * separator where `,` is the decimal mark), a UTF-8 byte-order mark, CRLF line ends. One writer
 * for every CSV the service hands out (daily recap, access log).
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';

/** One cell: quoted when it holds a separator, quote or line break; a leading formula character is neutralised. */
export function csvCell(v: string | null | undefined): string {
  let s = v ?? '';
  // A cell starting with = + - @ would run as a formula when a spreadsheet opens the file.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";,\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | null | undefined>>): string {
  return CSV_BOM + rows.map((cols) => cols.map(csvCell).join(CSV_SEPARATOR)).join('\r\n') + '\r\n';
}
