/**
 * File storage under one directory (attachments, PDFs, print jobs, archive). Paths stored in the DB
 * are relative. Files are owner-only (directories 0700, files 0600); scans (`attachments/`), handover
 * photos (`receipts/`) and print jobs (`print-jobs/`) are encrypted at rest (AES-256-GCM, see
 * `file-crypto.ts`) and decrypted only by `read` (serving them) or `withPlainCopy` (the printer).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decryptFile, encryptFile, encryptedKeyId, FILE_HEADER_LEN, isEncryptedFile, loadFileKeyring, type FileKeyring } from './file-crypto.js';

export interface StoredFile {
  /** Relative to the store's root. */
  path: string;
  /** Of the plain content (what the DB records and what a reader gets back). */
  sha256: string;
  size: number;
}

export interface FileStore {
  readonly root: string;
  /** Writes atomically (temp file + rename); rewriting identical content is harmless (idempotent). */
  put(relPath: string, data: Uint8Array | string): Promise<StoredFile>;
  /** The plain content (decrypted when the file is encrypted at rest). */
  read(relPath: string): Promise<Buffer>;
  exists(relPath: string): Promise<boolean>;
  /** Deletes the file; a missing file is not an error (idempotent). */
  remove(relPath: string): Promise<void>;
  /** Runs `fn` with the path of a plain, owner-only temporary copy, deleted afterwards (for an external command). */
  withPlainCopy<T>(relPath: string, fn: (absolutePath: string) => Promise<T>): Promise<T>;
  /**
   * Encrypts every plain file under the encrypted folders and re-encrypts files under an older key
   * with the current one. Idempotent; run on start (migration) and by `npm run files:rotate-key`.
   */
  seal(): Promise<{ encrypted: number; reencrypted: number }>;
  absolute(relPath: string): string;
}

/** Top-level folders whose files hold personal data and are encrypted at rest. */
export const ENCRYPTED_FOLDERS = ['attachments', 'receipts', 'print-jobs'] as const;
const TMP_DIR = '.tmp';
/** Longer than PRINTER_COMMAND's timeout. */
const STALE_COPY_MS = 5 * 60_000;

export function isEncryptedPath(relPath: string): boolean {
  const first = path.normalize(relPath).split(path.sep)[0];
  return (ENCRYPTED_FOLDERS as readonly string[]).includes(first);
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function* walkFiles(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkFiles(p);
    else if (e.isFile() && !e.name.endsWith('.tmp')) yield p;
  }
}

async function readHeader(file: string): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(FILE_HEADER_LEN);
    const { bytesRead } = await fh.read(buf, 0, FILE_HEADER_LEN, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * `keyring`: the file encryption keys (the runtime passes `loadFileKeyring(config)`); when omitted,
 * the keys file next to the store (`<root>/../keys/files.keys`, i.e. DATA_DIR/keys by default).
 */
export function createFileStore(root: string, keyring?: FileKeyring): FileStore {
  const keys = keyring ?? loadFileKeyring({ dataDir: path.dirname(path.resolve(root)) });
  const absolute = (relPath: string) => {
    const p = path.resolve(root, relPath);
    if (p !== root && !p.startsWith(root + path.sep)) throw new Error(`path escapes the file store: ${relPath}`);
    return p;
  };
  async function writeAtomic(target: string, bytes: Uint8Array | string) {
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await fs.writeFile(tmp, bytes, { mode: 0o600 });
    await fs.rename(tmp, target);
  }
  async function read(relPath: string): Promise<Buffer> {
    const raw = await fs.readFile(absolute(relPath));
    return isEncryptedFile(raw) ? decryptFile(keys, raw) : raw;
  }
  return {
    root,
    absolute,
    async put(relPath, data) {
      const target = absolute(relPath);
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      await writeAtomic(target, isEncryptedPath(relPath) ? encryptFile(keys, buf) : buf);
      return { path: relPath, sha256: sha256Hex(buf), size: buf.byteLength };
    },
    read,
    async exists(relPath) {
      try {
        await fs.access(absolute(relPath));
        return true;
      } catch {
        return false;
      }
    },
    async remove(relPath) {
      await fs.rm(absolute(relPath), { force: true });
    },
    async withPlainCopy(relPath, fn) {
      const plain = await read(relPath);
      // A private folder per copy, so the command sees the job's own file name.
      const dir = path.join(absolute(TMP_DIR), randomBytes(8).toString('hex'));
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      const copy = path.join(dir, path.basename(relPath));
      try {
        await fs.writeFile(copy, plain, { mode: 0o600, flag: 'wx' });
        return await fn(copy);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
    async seal() {
      let encrypted = 0;
      let reencrypted = 0;
      for (const folder of ENCRYPTED_FOLDERS) {
        for await (const file of walkFiles(absolute(folder))) {
          const header = await readHeader(file);
          const keyId = encryptedKeyId(header);
          if (keyId === keys.currentId) continue;
          const raw = await fs.readFile(file);
          const plain = keyId ? decryptFile(keys, raw) : raw;
          await writeAtomic(file, encryptFile(keys, plain));
          if (keyId) reencrypted++;
          else encrypted++;
        }
      }
      // Plain copies left by a process killed while a command printed (not one printing right now).
      const tmp = absolute(TMP_DIR);
      for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
        const st = await fs.stat(path.join(tmp, name)).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STALE_COPY_MS) await fs.rm(path.join(tmp, name), { recursive: true, force: true });
      }
      return { encrypted, reencrypted };
    },
  };
}
