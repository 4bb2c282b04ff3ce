/** Card printer: the default writes the print job as a file; PRINTER_COMMAND hands that file to a command (e.g. `lp -d …`). */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FileStore } from '../../infra/files.js';

const execFileAsync = promisify(execFile);

export interface PrintJob {
  registrationNumber: string;
  attempt: number;
  /** The card's print data (JSON); contains personal data: encrypted on disk, deleted once the print is settled. */
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
 * Deletes a job's file (personal data) and its marker once the print is settled (confirmed or
 * failed). Safe for exactly-once printing: the attempt's `printCard` has completed (its label is
 * recorded, so a replayed or retried call returns before reaching the printer), and a new attempt
 * uses new paths.
 */
export async function discardPrintJob(files: FileStore, registrationNumber: string, attempt: number): Promise<void> {
  await files.remove(printJobPath(registrationNumber, attempt));
  await files.remove(printSubmittedMarkerPath(registrationNumber, attempt));
}

/**
 * Runs `sh -c '<command> "$1"' sh <path>`: the path (of a plain, owner-only temporary copy of the
 * encrypted job, deleted when the command returns) is passed as an argument, never interpolated. An external command cannot be made exactly-once; the marker file narrows the window
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
      await files.withPlainCopy(stored.path, (plainPath) => execFileAsync('/bin/sh', ['-c', `${command} "$1"`, 'sh', plainPath], { timeout: 60_000 }));
      await files.put(marker, new Date().toISOString());
      return { jobPath: stored.path };
    },
  };
}
