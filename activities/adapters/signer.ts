/** Electronic signature (TTE): Ed25519, key generated once under DATA_DIR (PEM, mode 0600) or read from SIGNING_KEY_PATH. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Signer {
  /** Short fingerprint of the public key. */
  readonly keyId: string;
  /** Base64 signature of the UTF-8 payload. */
  sign(payload: string): string;
  verify(payload: string, signatureB64: string): boolean;
}

export function signerFromPrivateKey(privateKey: KeyObject): Signer {
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return {
    keyId,
    sign: (payload) => sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64'),
    verify: (payload, signatureB64) => {
      try {
        return verify(null, Buffer.from(payload, 'utf8'), publicKey, Buffer.from(signatureB64, 'base64'));
      } catch {
        return false;
      }
    },
  };
}

/** Loads the PEM at `keyPath`, or (when `generate`) creates it atomically with mode 0600 if absent. */
export function loadOrCreateSigner(keyPath: string, opts: { generate: boolean }): Signer {
  if (!fs.existsSync(keyPath)) {
    if (!opts.generate) throw new Error(`Signing key not found at ${keyPath}`);
    fs.mkdirSync(path.dirname(keyPath), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
    try {
      // 'wx': two processes starting at once must not overwrite each other's key.
      fs.writeFileSync(keyPath, pem, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const key = createPrivateKey(fs.readFileSync(keyPath));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`Signing key at ${keyPath} is not an Ed25519 key`);
  return signerFromPrivateKey(key);
}

