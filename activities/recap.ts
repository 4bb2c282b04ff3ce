/**
 * The daily recap of printed documents (PDF + CSV). Closed once per date and archived with its
 * SHA-256 (`closeDailyRecap`); today's is a preview marked SEMENTARA (`previewDailyRecap`).
 * The implementation lives in `recap-archive.ts`.
 */
export { closeDailyRecap, dateIsOver, previewDailyRecap, previewDailyRecapCsv, recapContent, type RecapDocuments } from './recap-archive.js';

export { CSV_BOM, CSV_SEPARATOR, csvCell, toCsv } from '../domain/csv.js';
