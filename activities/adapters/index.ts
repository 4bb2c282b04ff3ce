/** The worker's connections to the outside world, chosen by configuration (SPEC §6). */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Config } from '../../infra/config.js';
import type { FileStore } from '../../infra/files.js';
import { createWhatsAppAdapter, type WhatsAppAdapter } from './whatsapp.js';
import { createCommandPrinter, createFilePrinter, type PrinterAdapter } from './printer.js';
import { loadOrCreateSigner, type Signer } from './signer.js';
import { loadOrCreatePdfSigner, type PdfSigner } from './pdf-signer.js';

export type { WhatsAppAdapter, OutgoingMessage, SendResult } from './whatsapp.js';
export type { PrinterAdapter, PrintJob } from './printer.js';
export type { Signer } from './signer.js';
export type { PdfSigner } from './pdf-signer.js';

export interface Adapters {
  whatsapp: WhatsAppAdapter;
  printer: PrinterAdapter;
  signer: Signer;
  /** The PDFs' embedded (PAdES) signature: SIGNING_P12_PATH, or a PKCS#12 generated under DATA_DIR. */
  pdfSigner: PdfSigner;
}

export function signingKeyPath(config: Readonly<Config>): string {
  return config.SIGNING_KEY_PATH ? path.resolve(config.SIGNING_KEY_PATH) : path.join(config.dataDir, 'keys', 'tte-ed25519.pem');
}

export async function createAdapters(config: Readonly<Config>, files: FileStore, _db: Kysely<Database>): Promise<Adapters> {
  return {
    whatsapp: createWhatsAppAdapter(config),
    printer: config.PRINTER_COMMAND ? createCommandPrinter(files, config.PRINTER_COMMAND) : createFilePrinter(files),
    // A configured key must exist; the embedded default is generated once.
    signer: loadOrCreateSigner(signingKeyPath(config), { generate: !config.SIGNING_KEY_PATH }),
    pdfSigner: loadOrCreatePdfSigner(config),
  };
}
