/**
 * The parts of an X.509 certificate the kernel's key matching uses: the key ids (`serial ‖ issuer` and the
 * subject key identifier), the authority ids, self-signedness and the public key. Node's X509Certificate
 * does the ASN.1 checks and the public key; the raw fields come from the bounded BER reader.
 * @see crypto/asymmetric_keys/x509_cert_parser.c x509_cert_parse, x509_public_key.c x509_check_for_self_signed
 * @module
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { berChildren, berOid, berRead, hexOf, TAG } from './ber.js';
import { OID_AUTHORITY_KEY_IDENTIFIER, OID_SUBJECT_KEY_IDENTIFIER } from './oids.js';

/** A parsed certificate. */
export interface X509Cert {
  /** Node's view (signature checks, subject text). */
  readonly x509: X509Certificate;
  /** The public key. */
  readonly publicKey: KeyObject;
  /** `cert->id`: hex of serial contents ‖ issuer Name contents (`asymmetric_key_generate_id`). */
  readonly id: string;
  /** `cert->skid`: hex of the subject key identifier, when present. */
  readonly skid: string | undefined;
  /** `sig->auth_ids[0]`: hex of the AKID's serial ‖ issuer, when present. */
  readonly authId: string | undefined;
  /** `sig->auth_ids[1]`: hex of the AKID's key identifier, when present. */
  readonly authSkid: string | undefined;
  /** Issuer Name equals subject Name and the certificate verifies with its own key. */
  readonly selfSigned: boolean;
  /** The subject, one line. */
  readonly subject: string;
  /** Validity, as the signing-time check uses it. */
  readonly validFrom: Date;
  /** Validity end. */
  readonly validTo: Date;
  /** The DER bytes. */
  readonly der: Uint8Array;
  /** The issuer Name element (tag, length, contents), as a PKCS#7 IssuerAndSerialNumber repeats it. */
  readonly issuerDer: Uint8Array;
  /** The serial number element. */
  readonly serialDer: Uint8Array;
}

type Node = NonNullable<Exclude<ReturnType<typeof berRead>, string>>;

function kids(b: Uint8Array, n: Node | undefined): Node[] | undefined {
  if (n === undefined) return undefined;
  const c = berChildren(b, n);
  return typeof c === 'string' ? undefined : c;
}

/** Parses a DER certificate; `undefined` when it is malformed (the kernel answers EBADMSG). */
export function parseX509(der: Uint8Array): X509Cert | undefined {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const top = berRead(der, 0, der.length);
  if (typeof top === 'string') return undefined;
  const tbs = kids(der, top)?.[0];
  const f = kids(der, tbs);
  if (f === undefined) return undefined;
  let i = f[0]?.tag === 0xa0 ? 1 : 0;
  const serial = f[i++];
  i++; // signature algorithm
  const issuer = f[i++];
  i++; // validity
  const subject = f[i++];
  if (serial?.tag !== TAG.INTEGER || issuer?.tag !== TAG.SEQUENCE || subject?.tag !== TAG.SEQUENCE) {
    return undefined;
  }
  let skid: string | undefined;
  let authId: string | undefined;
  let authSkid: string | undefined;
  const extWrap = f.find((n) => n.tag === 0xa3);
  for (const e of kids(der, kids(der, extWrap)?.[0]) ?? []) {
    const parts = kids(der, e);
    if (parts === undefined || parts.length < 2 || parts[0].tag !== TAG.OID) continue;
    const oid = berOid(der, parts[0]);
    const value = parts[parts.length - 1];
    const inner = berRead(der, value.body, value.end);
    if (typeof inner === 'string') continue;
    if (oid === OID_SUBJECT_KEY_IDENTIFIER && inner.tag === TAG.OCTET_STRING) {
      skid = hexOf(der, inner.body, inner.end);
    } else if (oid === OID_AUTHORITY_KEY_IDENTIFIER) {
      let akIssuer: Node | undefined;
      let akSerial: Node | undefined;
      for (const k of kids(der, inner) ?? []) {
        if (k.tag === 0x80) authSkid = hexOf(der, k.body, k.end);
        else if (k.tag === 0xa1) akIssuer = kids(der, k)?.[0];
        else if (k.tag === 0x82) akSerial = k;
      }
      // x509_akid_note_serial: the directoryName's Name contents with the serial.
      const name = akIssuer === undefined ? undefined : kids(der, akIssuer)?.[0];
      if (akSerial !== undefined && akIssuer !== undefined) {
        authId = hexOf(der, akSerial.body, akSerial.end) + hexOf(der, name?.body ?? 0, name?.end ?? 0);
      }
    }
  }
  const id = hexOf(der, serial.body, serial.end) + hexOf(der, issuer.body, issuer.end);
  const sameName = hexOf(der, issuer.start, issuer.end) === hexOf(der, subject.start, subject.end);
  const ownAuthority =
    (authId === undefined || authId === id) && (authSkid === undefined || authSkid === skid);
  let selfSigned = false;
  if (sameName && ownAuthority) {
    try {
      selfSigned = x509.verify(x509.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  return {
    x509,
    publicKey: x509.publicKey,
    id,
    skid,
    authId,
    authSkid,
    selfSigned,
    subject: x509.subject.replaceAll('\n', ', '),
    validFrom: new Date(x509.validFrom),
    validTo: new Date(x509.validTo),
    der,
    issuerDer: der.subarray(issuer.start, issuer.next),
    serialDer: der.subarray(serial.start, serial.next),
  };
}

/** Splits PEM text into DER certificates. */
export function pemCertificates(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
  }
  return out;
}
