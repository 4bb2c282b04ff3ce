/** File storage under one directory (attachments, PDFs, print jobs, archive). Paths stored in the DB are relative. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface StoredFile {
  /** Relative to the store's root. */
  path: string;
  sha256: string;
  size: number;
}

export interface FileStore {
  readonly root: string;
  /** Writes atomically (temp file + rename); rewriting identical content is harmless (idempotent). */
  put(relPath: string, data: Uint8Array | string): Promise<StoredFile>;
  read(relPath: string): Promise<Buffer>;
  exists(relPath: string): Promise<boolean>;
  absolute(relPath: string): string;
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function createFileStore(root: string): FileStore {
  const absolute = (relPath: string) => {
    const p = path.resolve(root, relPath);
    if (p !== root && !p.startsWith(root + path.sep)) throw new Error(`path escapes the file store: ${relPath}`);
    return p;
  };
  return {
    root,
    absolute,
    async put(relPath, data) {
      const target = absolute(relPath);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, data);
      await fs.rename(tmp, target);
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      return { path: relPath, sha256: sha256Hex(buf), size: buf.byteLength };
    },
    read: (relPath) => fs.readFile(absolute(relPath)),
    async exists(relPath) {
      try {
        await fs.access(absolute(relPath));
        return true;
      } catch {
        return false;
      }
    },
  };
}
