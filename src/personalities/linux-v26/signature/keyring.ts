/**
 * The kernel's trusted keyring (`.builtin_trusted_keys`): X.509 certificates given in the configuration,
 * indexed by issuer + serial number and by subject key identifier, as `find_asymmetric_key` finds them.
 * @see crypto/asymmetric_keys/x509_cert_parser.c, certs/system_keyring.c
 * @module
 */
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { derChildren, derOid, derRead } from './der.js';

/** One trusted key. */
export interface TrustedKey {
  /** The key itself. */
  readonly key: KeyObject;
  /** Hex of the issuer Name DER + ':' + hex of the serial number contents. */
  readonly issuerSerial: string;
  /** Hex of the subject key identifier, if the certificate has one. */
  readonly skid: string | undefined;
  /** Subject common name, for messages. */
  readonly subject: string;
}

const SKID_OID = '2.5.29.14';

function hex(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('hex');
}

/** Parses one DER certificate; throws on a malformed one (a configuration error). */
export function parseTrustedCert(der: Uint8Array): TrustedKey {
  const x = new X509Certificate(der);
  const cert = derRead(der, 0, der.length);
  const tbs = cert && derChildren(der, cert)?.[0];
  const f = tbs && derChildren(der, tbs);
  if (f === undefined) throw new TypeError('certificate: bad DER');
  let i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = f[i++];
  i++; // signature algorithm
  const issuer = f[i++];
  let skid: string | undefined;
  const ext = f.find((n) => n.tag === 0xa3);
  if (ext !== undefined) {
    const seq = derChildren(der, ext)?.[0];
    for (const e of (seq && derChildren(der, seq)) ?? []) {
      const parts = derChildren(der, e);
      if (parts === undefined || derOid(der, parts[0]) !== SKID_OID) continue;
      const octet = parts[parts.length - 1];
      const inner = derRead(der, octet.body, octet.end);
      if (inner !== undefined) skid = hex(der, inner.body, inner.end);
    }
  }
  if (serial === undefined || issuer === undefined) throw new TypeError('certificate: bad DER');
  return {
    key: createPublicKey(x.publicKey.export({ format: 'pem', type: 'spki' })),
    issuerSerial: `${hex(der, issuer.start, issuer.end)}:${hex(der, serial.body, serial.end)}`,
    skid,
    subject: x.subject.replaceAll('\n', ', '),
  };
}

/** Splits a PEM text into DER certificates. */
export function pemCertificates(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  }
  return out;
}

/** The trusted keys, looked up the two ways PKCS#7 signer infos name them. */
export class Keyring {
  private readonly bySerial = new Map<string, TrustedKey>();
  private readonly bySkid = new Map<string, TrustedKey>();

  /** Adds a key. */
  add(k: TrustedKey): void {
    this.bySerial.set(k.issuerSerial, k);
    if (k.skid !== undefined) this.bySkid.set(k.skid, k);
  }

  /** Adds every certificate in a DER or PEM blob. */
  addBlob(data: Uint8Array): void {
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    const certs = text.includes('-----BEGIN CERTIFICATE-----') ? pemCertificates(text) : [data];
    for (const c of certs) this.add(parseTrustedCert(c));
  }

  /** By issuer + serial. */
  byIssuerSerial(id: string): TrustedKey | undefined {
    return this.bySerial.get(id);
  }

  /** By subject key identifier. */
  bySubjectKeyId(id: string): TrustedKey | undefined {
    return this.bySkid.get(id);
  }

  /** Number of keys. */
  get size(): number {
    return this.bySerial.size;
  }
}
