/**
 * Tracking tokens (SPEC §4): 256 random bits, base64url, one per case. The database keeps the
 * token's SHA-256 (the only form a lookup uses) and a sealed copy (AES-256-GCM under a key derived
 * from the server secret) so that the activity composing applicant messages can put the link into
 * each message. The plain token never enters Temporal payloads, logs or API answers.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { insertTrackingToken, trackingTokenRow } from '../db/repositories/tracking.js';
import { loadAuthSecretSync } from '../api/auth.js';

export const TRACKING_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;

export function newTrackingToken(): string {
  return randomBytes(32).toString('base64url');
}

export function trackingTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function trackingLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/lacak/${token}`;
}

const keys = new Map<string, Buffer>();
/** The sealing key: HKDF-SHA256 of the server secret (AUTH_SECRET or `${DATA_DIR}/auth-secret`). */
export function trackingSealKey(config: Readonly<Config>): Buffer {
  const id = `${config.dataDir}\u0000${config.AUTH_SECRET ?? ''}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', loadAuthSecretSync(config), Buffer.from('becak-pintar'), Buffer.from('tracking-token-seal-v1'), 32));
    keys.set(id, key);
  }
  return key;
}

/** `v1.` + base64url(iv ‖ tag ‖ ciphertext); the registration number is bound as associated data. */
export function sealTrackingToken(key: Buffer, registrationNumber: string, token: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(registrationNumber));
  const ct = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
}

/** The plain token, or null when the sealed value is not ours (other key, other case, tampered). */
export function unsealTrackingToken(key: Buffer, registrationNumber: string, sealed: string): string | null {
  if (!sealed.startsWith('v1.')) return null;
  try {
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(registrationNumber));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/**
 * The case's plain token for composing a message: created (hash + sealed copy) when the case has
 * none yet (cases from before tracking links), null when it cannot be unsealed (key changed) or the
 * case's personal data was erased.
 */
export async function trackingTokenFor(db: Kysely<Database>, config: Readonly<Config>, registrationNumber: string): Promise<string | null> {
  const key = trackingSealKey(config);
  let row = await trackingTokenRow(db, registrationNumber);
  if (!row) {
    const token = newTrackingToken();
    await insertTrackingToken(db, registrationNumber, trackingTokenHash(token), sealTrackingToken(key, registrationNumber, token));
    row = await trackingTokenRow(db, registrationNumber);
  }
  if (!row?.token_sealed) return null;
  return unsealTrackingToken(key, registrationNumber, row.token_sealed);
}
