/**
 * The electronic signature's (TTE) payload: what the Ed25519 signature covers, and what
 * /api/verify may show. Only values read from a verified payload are ever shown.
 *
 * - Version 1 (cases signed before 2026-12): {registrationNumber, documentType, signer{username,name,role}, signedAt}.
 * - Version 2: `v: 2`, plus the signer's NIP, the key id and the SHA-256 of the approval PDF as
 *   stored (after its embedded PAdES signature), so the payload vouches for that exact file.
 */
import { canonicalJson } from './canonical-json.js';
import { DOCUMENT_TYPES, ROLES, type DocumentType, type Role } from './sop.js';

export const SIGNATURE_PAYLOAD_VERSION = 2;

export interface SignaturePayloadV2Input {
  registrationNumber: string;
  documentType: DocumentType;
  signer: { username: string; name: string; role: Role; nip: string | null };
  signedAt: Date;
  keyId: string;
  /** SHA-256 (hex) of the approval PDF's final bytes. */
  documentSha256: string;
}

export function signaturePayloadV2(p: SignaturePayloadV2Input): string {
  return canonicalJson({
    v: SIGNATURE_PAYLOAD_VERSION,
    registrationNumber: p.registrationNumber,
    documentType: p.documentType,
    signer: { username: p.signer.username, name: p.signer.name, role: p.signer.role, nip: p.signer.nip },
    signedAt: p.signedAt.toISOString(),
    keyId: p.keyId,
    document: { kind: 'approval', sha256: p.documentSha256 },
  });
}

/** The payload's version as written (1 when it has no `v`), null for a payload that is not JSON (or empty: not signed yet). */
export function payloadVersionOf(payload: string): number | null {
  try {
    const p = JSON.parse(payload) as { v?: unknown };
    return p && typeof p === 'object' ? (typeof p.v === 'number' ? p.v : 1) : null;
  } catch {
    return null;
  }
}

/** What a (verified) payload says, whatever its version. */
export interface SignedFacts {
  payloadVersion: 1 | 2;
  registrationNumber: string;
  documentType: DocumentType;
  signer: { name: string; role: Role; nip: string | null };
  signedAt: string;
  /** v2: the approval PDF's SHA-256; v1 did not cover a document. */
  documentSha256: string | null;
}

const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Reads a payload under the rules of its own version; null when it is not a well-formed payload. */
export function readSignedPayload(payload: string): SignedFacts | null {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!p || typeof p !== 'object') return null;
  const signer = p.signer as Record<string, unknown> | undefined;
  if (!isStr(p.registrationNumber) || !(DOCUMENT_TYPES as readonly unknown[]).includes(p.documentType) || !isStr(p.signedAt) || !signer || !isStr(signer.name)) return null;
  if (!(ROLES as readonly unknown[]).includes(signer.role)) return null;
  const base = { registrationNumber: p.registrationNumber, documentType: p.documentType as DocumentType, signedAt: p.signedAt };
  if (p.v === undefined) {
    return { payloadVersion: 1, ...base, signer: { name: signer.name, role: signer.role as Role, nip: null }, documentSha256: null };
  }
  if (p.v === 2) {
    const doc = p.document as Record<string, unknown> | undefined;
    if (!doc || doc.kind !== 'approval' || !isStr(doc.sha256) || !/^[0-9a-f]{64}$/.test(doc.sha256)) return null;
    const nip = signer.nip === null || isStr(signer.nip) ? (signer.nip as string | null) : undefined;
    if (nip === undefined) return null;
    return { payloadVersion: 2, ...base, signer: { name: signer.name, role: signer.role as Role, nip }, documentSha256: doc.sha256 };
  }
  return null; // an unknown version proves nothing
}

/** "Siti Aminah" → "S*** A*****": enough for a holder to recognise the document, not to learn a name. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0]!.toUpperCase()}${'*'.repeat(Math.max(w.length - 1, 1))}`)
    .join(' ');
}
