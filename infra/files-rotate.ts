/**
 * File key rotation (`npm run files:rotate-key`; stop the service first, it keeps its keys in memory).
 *
 * - Keys file (default): a new key is generated and put first in DATA_DIR/keys/files.keys, every
 *   encrypted file is re-encrypted with it, then the old keys are removed from the file.
 * - FILES_KEY: set FILES_KEY to the new key and FILES_KEY_PREVIOUS to the old one(s); every file is
 *   re-encrypted with FILES_KEY; afterwards FILES_KEY_PREVIOUS can be removed.
 * A run that stops midway can be run again: files already under the current key are skipped.
 */
import { randomBytes } from 'node:crypto';
import { filesKeyFilePath, keyringOf, loadFileKeyring, readKeysFile, writeKeysFile, type FileKeyConfig } from './file-crypto.js';
import { createFileStore } from './files.js';

export interface RotationResult {
  mode: 'keys-file' | 'FILES_KEY';
  currentKeyId: string;
  encrypted: number;
  reencrypted: number;
  /** Key ids no longer needed (dropped from the keys file, or safe to remove from FILES_KEY_PREVIOUS). */
  retiredKeyIds: string[];
}

export async function rotateFileKey(c: FileKeyConfig & { filesDir: string }): Promise<RotationResult> {
  if (c.FILES_KEY) {
    const keyring = loadFileKeyring(c);
    const sealed = await createFileStore(c.filesDir, keyring).seal();
    return { mode: 'FILES_KEY', currentKeyId: keyring.currentId, ...sealed, retiredKeyIds: [...keyring.keys.keys()].filter((id) => id !== keyring.currentId) };
  }
  const file = filesKeyFilePath(c.dataDir);
  loadFileKeyring(c); // creates the file on a fresh install
  const old = readKeysFile(file);
  const fresh = randomBytes(32);
  // The new key is saved (with the old ones, still needed to read) before any file uses it.
  writeKeysFile(file, [fresh, ...old]);
  const keyring = keyringOf(fresh, old);
  const sealed = await createFileStore(c.filesDir, keyring).seal();
  writeKeysFile(file, [fresh]);
  return { mode: 'keys-file', currentKeyId: keyring.currentId, ...sealed, retiredKeyIds: [...keyring.keys.keys()].filter((id) => id !== keyring.currentId) };
}
