/**
 * The daily recap of printed documents (PDF + CSV). Closed once per date and archived with its
 * SHA-256 (`closeDailyRecap`); today's is a preview marked SEMENTARA (`previewDailyRecap`).
 * The implementation lives in `recap-archive.ts`.
 */
export { closeDailyRecap, dateIsOver, previewDailyRecap, recapContent, type RecapDocuments } from './recap-archive.js';

/**
 * CSV as Excel with Indonesian regional settings opens it in columns: `;` separators (the list
 * separator where `,` is the decimal mark), a UTF-8 byte-order mark, CRLF line ends.
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';
export function csvCell(v: string): string {
  return /[";\r\n,]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
export function toCsv(rows: string[][]): string {
  return CSV_BOM + rows.map((cols) => cols.map(csvCell).join(CSV_SEPARATOR)).join('\r\n') + '\r\n';
}
