/**
 * The signer: a throwaway signing key with a self-signed X.509 certificate (the extensions of the kernel's
 * `certs/default_x509.genkey`), a detached PKCS#7/CMS SignedData as `scripts/sign-file.c` writes it
 * (`CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP | CMS_NOATTR`: no certificates, no signed attributes; signer
 * named by issuer and serial number, or by subject key identifier with `-k`), and the appended trailer.
 * @see scripts/sign-file.c; certs/Makefile, certs/default_x509.genkey
 * @module
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { der, int, intBytes, nul, octets, oid, seq, set, time, utf8 } from './der-writer.js';
import { MODULE_SIG_STRING, MODULE_SIGNATURE_SIZE, PKEY_ID_PKCS7 } from './mod-verify-sig.js';
import { DIGEST_OIDS, OID_DATA, OID_RSA_ENCRYPTION, OID_SIGNED_DATA } from './oids.js';
import { parseX509, type X509Cert } from './x509-cert.js';

/** A digest sign-file can use. */
export type SignHash = keyof typeof DIGEST_OIDS;

/** A private key and its certificate. */
export interface SigningKey {
  /** The private key. */
  readonly privateKey: KeyObject;
  /** The certificate, DER. */
  readonly certificate: Uint8Array;
  /** The certificate, PEM (what a trusted keyring configuration takes). */
  readonly certificatePem: string;
  /** The parsed certificate (issuer, serial, subject key identifier). */
  readonly cert: X509Cert;
}

/** Options of {@link generateSigningKey}. */
export interface SigningKeyOptions {
  /** `rsa` (default, as `CONFIG_MODULE_SIG_KEY_TYPE_RSA`) or `ec` (P-384, as the ECDSA option). */
  readonly keyType?: 'rsa' | 'ec';
  /** RSA modulus length (default 2048; Debian's key is 4096). */
  readonly bits?: number;
  /** Subject common name. */
  readonly commonName?: string;
  /** Certificate digest (default sha256). */
  readonly hash?: SignHash;
}

const SIG_ALGS: Record<'rsa' | 'ec', Partial<Record<SignHash, string>>> = {
  rsa: {
    sha1: '1.2.840.113549.1.1.5',
    sha224: '1.2.840.113549.1.1.14',
    sha256: '1.2.840.113549.1.1.11',
    sha384: '1.2.840.113549.1.1.12',
    sha512: '1.2.840.113549.1.1.13',
  },
  ec: {
    sha1: '1.2.840.10045.4.1',
    sha224: '1.2.840.10045.4.3.1',
    sha256: '1.2.840.10045.4.3.2',
    sha384: '1.2.840.10045.4.3.3',
    sha512: '1.2.840.10045.4.3.4',
  },
};

function algId(keyType: 'rsa' | 'ec', hash: SignHash): Uint8Array {
  const o = SIG_ALGS[keyType][hash] ?? '';
  return keyType === 'rsa' ? seq(oid(o), nul()) : seq(oid(o));
}

/** A throwaway key and self-signed certificate, as the kernel build's `x509.genkey` makes one. */
export function generateSigningKey(options: SigningKeyOptions = {}): SigningKey {
  const keyType = options.keyType ?? 'rsa';
  const hash = options.hash ?? 'sha256';
  const { privateKey, publicKey } =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: options.bits ?? 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  // subjectKeyIdentifier=hash: SHA-1 of the subjectPublicKey BIT STRING contents (RFC 5280 method 1).
  const keyBits = publicKeyBits(spki) ?? spki;
  const skid = new Uint8Array(createHash('sha1').update(keyBits).digest());
  const name = seq(
    set(seq(oid('2.5.4.10'), utf8('kmodsim'))),
    set(seq(oid('2.5.4.3'), utf8(options.commonName ?? 'kmodsim throwaway module signing key'))),
  );
  const serial = new Uint8Array(randomBytes(16));
  serial[0] &= 0x7f;
  const now = new Date();
  const exts = seq(
    seq(oid('2.5.29.19'), der(0x01, new Uint8Array([0xff])), octets(seq())),
    seq(oid('2.5.29.15'), der(0x01, new Uint8Array([0xff])), octets(der(0x03, new Uint8Array([0x07, 0x80])))),
    seq(oid('2.5.29.14'), octets(octets(skid))),
    seq(oid('2.5.29.35'), octets(seq(der(0x80, skid)))),
  );
  const tbs = seq(
    der(0xa0, int(2n)),
    intBytes(serial),
    algId(keyType, hash),
    name,
    seq(time(new Date(now.getTime() - 86_400_000)), time(new Date(now.getTime() + 36500 * 86_400_000))),
    name,
    spki,
    der(0xa3, exts),
  );
  const signature = new Uint8Array(sign(hash, tbs, privateKey));
  const certificate = seq(tbs, algId(keyType, hash), der(0x03, new Uint8Array([0]), signature));
  const cert = parseX509(certificate);
  if (cert === undefined) throw new Error('generated certificate does not parse');
  const b64 = Buffer.from(certificate).toString('base64').replace(/.{64}/g, '$&\n');
  return {
    privateKey,
    certificate,
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    cert,
  };
}

/** The subjectPublicKey BIT STRING's contents (without the unused-bits byte) of an SPKI. */
function publicKeyBits(spki: Uint8Array): Uint8Array | undefined {
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header and the algorithm.
  const hdr = (at: number): [number, number] => {
    const l = spki[at + 1];
    if (l < 0x80) return [at + 2, l];
    const n = l & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + spki[at + 2 + i];
    return [at + 2 + n, len];
  };
  const [body] = hdr(0);
  const [algBody, algLen] = hdr(body);
  const bitAt = algBody + algLen;
  if (spki[bitAt] !== 0x03) return undefined;
  const [bitBody, bitLen] = hdr(bitAt);
  return spki.subarray(bitBody + 1, bitBody + bitLen);
}

/** Options of {@link pkcs7SignDetached}. */
export interface Pkcs7SignOptions {
  /** Digest (default sha256, Debian's `CONFIG_MODULE_SIG_HASH`). */
  readonly hash?: SignHash;
  /** sign-file `-k`: name the signer by subject key identifier (CMS version 3). */
  readonly useKeyId?: boolean;
}

/** A detached PKCS#7 SignedData over `data`, byte-compatible with sign-file's output. */
export function pkcs7SignDetached(
  data: Uint8Array,
  key: SigningKey,
  options: Pkcs7SignOptions = {},
): Uint8Array {
  const hash = options.hash ?? 'sha256';
  const keyId = options.useKeyId === true && key.cert.skid !== undefined;
  const ec = key.privateKey.asymmetricKeyType === 'ec';
  const digestAlg = seq(oid(DIGEST_OIDS[hash]));
  const sid = keyId
    ? der(0x80, Buffer.from(key.cert.skid ?? '', 'hex'))
    : seq(key.cert.issuerDer, key.cert.serialDer);
  const signature = new Uint8Array(sign(hash, data, key.privateKey));
  const version = int(keyId ? 3n : 1n);
  const signerInfo = seq(
    version,
    sid,
    digestAlg,
    ec ? seq(oid(SIG_ALGS.ec[hash] ?? '')) : seq(oid(OID_RSA_ENCRYPTION), nul()),
    octets(signature),
  );
  return seq(
    oid(OID_SIGNED_DATA),
    der(0xa0, seq(version, set(digestAlg), seq(oid(OID_DATA)), set(signerInfo))),
  );
}

/**
 * sign-file: `module ‖ PKCS#7 ‖ struct module_signature ‖ MODULE_SIG_STRING`. `module` must be unsigned
 * (sign-file appends blindly; a second signature would sit after the first).
 */
export function signModule(module: Uint8Array, key: SigningKey, options: Pkcs7SignOptions = {}): Uint8Array {
  const p7 = pkcs7SignDetached(module, key, options);
  const marker = new TextEncoder().encode(MODULE_SIG_STRING);
  const out = new Uint8Array(module.length + p7.length + MODULE_SIGNATURE_SIZE + marker.length);
  out.set(module, 0);
  out.set(p7, module.length);
  const ms = module.length + p7.length;
  out[ms + 2] = PKEY_ID_PKCS7;
  new DataView(out.buffer).setUint32(ms + 8, p7.length, false);
  out.set(marker, ms + MODULE_SIGNATURE_SIZE);
  return out;
}
