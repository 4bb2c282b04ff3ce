/**
 * Files at rest (SPEC §6): AES-256-GCM for scans, handover photos and print jobs.
 *
 * Format (version 1), all in one file:
 *   magic "BPFE" (4) | version 0x01 (1) | key id (8) | IV (12) | GCM tag (16) | ciphertext
 * The first 13 bytes (magic, version, key id) are the GCM additional data, so a header edited to
 * point at another key fails authentication. The key id is derived from the key itself (first 8
 * bytes of SHA-256 over a label and the key), so several keys can be loaded at once and each file
 * says which one opens it: that is what key rotation needs.
 *
 * Keys: `FILES_KEY` (32 bytes, base64 or 64 hex digits) and `FILES_KEY_PREVIOUS` (comma-separated,
 * read only) when set; otherwise `DATA_DIR/keys/files.keys`, generated once (mode 0600), one base64
 * key a line, the first line the current key. Keys in that file stay readable when FILES_KEY is set.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const FILE_MAGIC = Buffer.from('BPFE', 'ascii');
export const FILE_FORMAT_VERSION = 1;
const KEY_ID_LEN = 8;
const IV_LEN = 12;
const TAG_LEN = 16;
const AAD_LEN = FILE_MAGIC.length + 1 + KEY_ID_LEN; // 13
export const FILE_HEADER_LEN = AAD_LEN + IV_LEN + TAG_LEN; // 41

export interface FileKeyring {
  /** Hex key id of the key new files are encrypted with. */
  readonly currentId: string;
  /** Every key that can open a file, by hex key id (the current one included). */
  readonly keys: ReadonlyMap<string, Buffer>;
}

export function fileKeyId(key: Buffer): string {
  return createHash('sha256').update('becak-pintar files key v1\0').update(key).digest().subarray(0, KEY_ID_LEN).toString('hex');
}

/** 32 bytes as base64 (standard or url-safe) or as 64 hex digits. */
export function parseFileKey(text: string, name = 'FILES_KEY'): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) throw new Error(`${name}: must be 32 bytes, as base64 or 64 hex digits (got ${key.length} bytes)`);
  return key;
}

export function keyringOf(current: Buffer, others: Buffer[] = []): FileKeyring {
  const keys = new Map<string, Buffer>();
  const currentId = fileKeyId(current);
  keys.set(currentId, current);
  for (const k of others) if (!keys.has(fileKeyId(k))) keys.set(fileKeyId(k), k);
  return { currentId, keys };
}

export function filesKeyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'files.keys');
}

/** The keys in the keys file, current first (empty when the file does not exist). */
export function readKeysFile(file: string): Buffer[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l, i) => parseFileKey(l, `${file} line ${i + 1}`));
}

/** Writes the keys file atomically (mode 0600), current key first. */
export function writeKeysFile(file: string, keys: Buffer[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const body = `# Becak Pintar file encryption keys (AES-256, base64). First line: the current key. Back this file up.\n${keys.map((k) => k.toString('base64')).join('\n')}\n`;
  fs.writeFileSync(tmp, body, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export interface FileKeyConfig {
  dataDir: string;
  FILES_KEY?: string;
  FILES_KEY_PREVIOUS?: string;
}

/** The keyring from FILES_KEY (+ FILES_KEY_PREVIOUS), or the keys file under DATA_DIR, generated once. */
export function loadFileKeyring(c: FileKeyConfig): FileKeyring {
  const file = filesKeyFilePath(c.dataDir);
  const previous = (c.FILES_KEY_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s, i) => parseFileKey(s, `FILES_KEY_PREVIOUS[${i}]`));
  if (c.FILES_KEY) return keyringOf(parseFileKey(c.FILES_KEY), [...previous, ...readKeysFile(file)]);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const body = `# Becak Pintar file encryption keys (AES-256, base64). First line: the current key. Back this file up.\n${randomBytes(32).toString('base64')}\n`;
    try {
      // 'wx': two processes starting at once must not overwrite each other's key.
      fs.writeFileSync(file, body, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const [current, ...rest] = readKeysFile(file);
  if (!current) throw new Error(`${file}: no key in the file`);
  return keyringOf(current, [...rest, ...previous]);
}

export function isEncryptedFile(data: Uint8Array): boolean {
  return data.byteLength >= FILE_HEADER_LEN && Buffer.from(data.buffer, data.byteOffset, 4).equals(FILE_MAGIC) && data[4] === FILE_FORMAT_VERSION;
}

/** The hex key id in an encrypted file's header (null for anything else). */
export function encryptedKeyId(data: Uint8Array): string | null {
  if (!isEncryptedFile(data)) return null;
  return Buffer.from(data.buffer, data.byteOffset + 5, KEY_ID_LEN).toString('hex');
}

export function encryptFile(keyring: FileKeyring, plain: Uint8Array | string): Buffer {
  const key = keyring.keys.get(keyring.currentId)!;
  const aad = Buffer.concat([FILE_MAGIC, Buffer.from([FILE_FORMAT_VERSION]), Buffer.from(keyring.currentId, 'hex')]);
  const iv = randomBytes(IV_LEN);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain), cipher.final()]);
  return Buffer.concat([aad, iv, cipher.getAuthTag(), ct]);
}

export function decryptFile(keyring: FileKeyring, data: Uint8Array): Buffer {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const keyId = encryptedKeyId(buf);
  if (!keyId) throw new Error('not an encrypted file');
  const key = keyring.keys.get(keyId);
  if (!key) throw new Error(`file encrypted with key ${keyId}, which is not loaded (FILES_KEY, FILES_KEY_PREVIOUS or the keys file)`);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(AAD_LEN, AAD_LEN + IV_LEN));
  decipher.setAAD(buf.subarray(0, AAD_LEN));
  decipher.setAuthTag(buf.subarray(AAD_LEN + IV_LEN, FILE_HEADER_LEN));
  return Buffer.concat([decipher.update(buf.subarray(FILE_HEADER_LEN)), decipher.final()]);
}
