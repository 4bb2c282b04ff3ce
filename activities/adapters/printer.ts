/** Card printer: the default writes the print job as a file; PRINTER_COMMAND hands that file to a command (e.g. `lp -d …`). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FileStore } from '../../infra/files.js';

const execFileAsync = promisify(execFile);

export interface PrintJob {
  registrationNumber: string;
  attempt: number;
  /** The card's print data (JSON); contains personal data, so it stays on disk under DATA_DIR. */
  content: string;
}

export interface PrinterAdapter {
  readonly kind: 'file' | 'command';
  /** Writes (and for `command` submits) the job; returns its path relative to the file store. */
  print(job: PrintJob): Promise<{ jobPath: string }>;
}

export function printJobPath(registrationNumber: string, attempt: number): string {
  return `print-jobs/${registrationNumber}/attempt-${attempt}.json`;
}

export function createFilePrinter(files: FileStore): PrinterAdapter {
  return {
    kind: 'file',
    async print(job) {
      const stored = await files.put(printJobPath(job.registrationNumber, job.attempt), job.content);
      return { jobPath: stored.path };
    },
  };
}

/** Written right after PRINTER_COMMAND succeeded for a job: a retried activity does not send it again. */
function printSubmittedMarkerPath(registrationNumber: string, attempt: number): string {
  return `print-jobs/${registrationNumber}/attempt-${attempt}.submitted`;
}

/**
 * Runs `sh -c '<command> "$1"' sh <absolute job path>`: the path is passed as an argument, never
 * interpolated. An external command cannot be made exactly-once; the marker file narrows the window
 * in which a killed worker leads to a second physical print to the moment between the command's
 * exit and the marker's write (the label, the database writes and the rendering come after it).
 */
export function createCommandPrinter(files: FileStore, command: string): PrinterAdapter {
  return {
    kind: 'command',
    async print(job) {
      const jobPath = printJobPath(job.registrationNumber, job.attempt);
      const marker = printSubmittedMarkerPath(job.registrationNumber, job.attempt);
      if (await files.exists(marker)) return { jobPath };
      const stored = await files.put(jobPath, job.content);
      await execFileAsync('/bin/sh', ['-c', `${command} "$1"`, 'sh', files.absolute(stored.path)], { timeout: 60_000 });
      await files.put(marker, new Date().toISOString());
      return { jobPath: stored.path };
    },
  };
}
