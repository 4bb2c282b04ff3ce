/**
 * The PDFs' embedded signature (PAdES-compatible, `adbe.pkcs7.detached`, SHA-256): approval letters
 * and receipts carry a signature a PDF reader shows as signed. The key and certificate are a PKCS#12:
 * the office's own (e.g. from BSrE) via SIGNING_P12_PATH / SIGNING_P12_PASSPHRASE, or one generated
 * once under DATA_DIR (`keys/tte-pades.p12`, self-signed, mode 0600; its passphrase is the constant
 * below: the file's protection is its mode and the backup's, not the passphrase).
 *
 * Libraries: @signpdf/placeholder-plain adds the signature field to the finished PDF bytes (an
 * incremental update, so the layout in `pdf.ts` is untouched), @signpdf/signpdf fills it. The CMS
 * is built as @signpdf/signer-p12 builds it (node-forge, same signed attributes), but the PKCS#12 is
 * parsed once and the RSA operation is Node's own: signer-p12 re-parses and decrypts the container
 * and signs in JavaScript on every document (≈0.6 s each).
 */
import { createPrivateKey, generateKeyPairSync, privateEncrypt, constants as cryptoConstants, randomBytes, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { SignPdf } from '@signpdf/signpdf';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { Signer } from '@signpdf/utils';

export const GENERATED_P12_PASSPHRASE = 'becak-pintar';
/** Room for the CMS signature (bytes): a certificate chain from a real CA needs more than a self-signed one. */
const SIGNATURE_LENGTH = 16_384;

export interface PdfSignMeta {
  /** Why (shown by PDF readers), e.g. "Persetujuan pencetakan KTP-el". */
  reason: string;
  /** Where, e.g. "Purwodadi, Kabupaten Grobogan". */
  location: string;
  /** Who or how to reach the signer (office contact or verification URL). */
  contactInfo: string;
  signingTime?: Date;
}

export interface PdfSigner {
  /** The certificate's subject common name. */
  readonly subject: string;
  /** SHA-256 fingerprint (hex) of the signing certificate. */
  readonly certificateSha256: string;
  sign(pdf: Uint8Array, meta: PdfSignMeta): Promise<Buffer>;
}

export function pdfSignerFromP12(p12: Buffer, passphrase: string): PdfSigner {
  // Parse once up front: a wrong passphrase or a certificate without a key stops the start.
  const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), false, passphrase);
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0];
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert!).filter(Boolean);
  const key = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw new Error('PKCS#12: no (encrypted) private key found');
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!cert) throw new Error('PKCS#12: no certificate matches the private key');
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes();
  const certificateSha256 = forge.md.sha256.create().update(der).digest().toHex();
  const subject = String(cert.subject.getField('CN')?.value ?? '');
  const nodeKey = createPrivateKey(forge.pki.privateKeyToPem(key));
  const signer = new CmsSigner(nodeKey, cert, certs);
  return {
    subject,
    certificateSha256,
    async sign(pdf, meta) {
      const withPlaceholder = plainAddPlaceholder({
        pdfBuffer: Buffer.from(pdf),
        reason: meta.reason,
        location: meta.location,
        contactInfo: meta.contactInfo,
        name: subject,
        signingTime: meta.signingTime,
        signatureLength: SIGNATURE_LENGTH,
        appName: 'BecakPintar', // a PDF name: no spaces
      });
      return new SignPdf().sign(withPlaceholder, signer, meta.signingTime);
    },
  };
}

/** DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2): RSASSA-PKCS1-v1_5 signs prefix ‖ digest. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** Detached CMS SignedData over the PDF's byte ranges (what signer-p12 produces), RSA by Node. */
class CmsSigner extends Signer {
  constructor(
    private readonly key: KeyObject,
    private readonly cert: forge.pki.Certificate,
    private readonly chain: forge.pki.Certificate[],
  ) {
    super();
  }

  override async sign(pdfBuffer: Buffer, signingTime?: Date): Promise<Buffer> {
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdfBuffer.toString('binary'));
    for (const c of this.chain) p7.addCertificate(c);
    const nodeKey = this.key;
    const rsa = {
      // forge hands over the digest of the signed attributes; Node adds the PKCS#1 v1.5 padding.
      sign: (md: forge.md.MessageDigest) =>
        privateEncrypt({ key: nodeKey, padding: cryptoConstants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')])).toString('binary'),
    };
    p7.addSigner({
      key: rsa as unknown as forge.pki.rsa.PrivateKey,
      certificate: this.cert,
      digestAlgorithm: forge.pki.oids.sha256!,
      // The order matters for EU validators (as in signer-p12).
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType!, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime!, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest! },
      ],
    });
    p7.sign({ detached: true });
    return Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
  }
}

/** A self-signed RSA-2048 certificate for the office (10 years), as a PKCS#12. */
export function generateSelfSignedP12(o: { commonName: string; organization: string; passphrase: string }): Buffer {
  // Node's native key generation (fast), then node-forge for the certificate and the container.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const attrs = [
    { shortName: 'CN', value: o.commonName },
    { shortName: 'O', value: o.organization },
    { shortName: 'C', value: 'ID' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], o.passphrase, { algorithm: '3des', friendlyName: o.commonName });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export function generatedP12Path(dataDir: string): string {
  return path.join(dataDir, 'keys', 'tte-pades.p12');
}

/** The configured PKCS#12 (must exist), or the one generated once under DATA_DIR. */
export function loadOrCreatePdfSigner(c: { dataDir: string; SIGNING_P12_PATH?: string; SIGNING_P12_PASSPHRASE?: string; officeName?: string }): PdfSigner {
  if (c.SIGNING_P12_PATH) {
    const file = path.resolve(c.SIGNING_P12_PATH);
    if (!fs.existsSync(file)) throw new Error(`SIGNING_P12_PATH: no file at ${file}`);
    try {
      return pdfSignerFromP12(fs.readFileSync(file), c.SIGNING_P12_PASSPHRASE ?? '');
    } catch (e) {
      throw new Error(`SIGNING_P12_PATH ${file}: cannot be used (${(e as Error).message}); check SIGNING_P12_PASSPHRASE`);
    }
  }
  const file = generatedP12Path(c.dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const p12 = generateSelfSignedP12({
      commonName: c.officeName ?? 'Dinas Kependudukan dan Pencatatan Sipil Kabupaten Grobogan',
      organization: 'Pemerintah Kabupaten Grobogan',
      passphrase: GENERATED_P12_PASSPHRASE,
    });
    try {
      // 'wx': two processes starting at once must not overwrite each other's certificate.
      fs.writeFileSync(file, p12, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return pdfSignerFromP12(fs.readFileSync(file), GENERATED_P12_PASSPHRASE);
}
