/**
 * What kmod reads from a module's appended signature for modinfo's `sig_id`, `signer`, `sig_key`,
 * `sig_hashalgo` and `signature` lines. For PKCS#7 (every signature since Linux 4.3) kmod 30 built with OpenSSL
 * decodes the SignedData: signer = the issuer's commonName of the first SignerInfo, key = its serial number,
 * hash = its digest algorithm, signature = its encryptedDigest. Older (PGP / X.509 id) trailers carry the
 * signer name and key id as plain bytes before the signature.
 * @see libkmod/libkmod-signature.c (kmod 30) kmod_module_signature_info, fill_pkcs7, fill_default
 * @module
 */
import { Buffer } from 'node:buffer';

/** `kmod_signature_info`, as modinfo uses it. */
export interface KmodSignatureInfo {
  /** `PGP`, `X509` or `PKCS#7`. */
  readonly idType: string;
  /** Signer name bytes (printed up to the first NUL). */
  readonly signer: Uint8Array;
  /** Key identifier bytes (the PKCS#7 signer's serial number, without leading zeros). */
  readonly keyId: Uint8Array;
  /** Digest algorithm name (`sha256`). */
  readonly hashAlgo: string;
  /** Signature bytes. */
  readonly sig: Uint8Array;
}

const SIG_MAGIC = new TextEncoder().encode('~Module signature appended~\n');
const MODULE_SIGNATURE_SIZE = 12;
const PKEY_ALGO_LAST = 2;
const PKEY_HASH_ALGO = [
  'md4',
  'md5',
  'sha1',
  'rmd160',
  'sha256',
  'sha384',
  'sha512',
  'sha224',
  'sm3',
] as const;
const PKEY_ID_TYPE = ['PGP', 'X509', 'PKCS#7'] as const;
const PKEY_ID_PKCS7 = 2;

/** Digest OIDs kmod maps to its names (`obj_to_hash_algo`). */
const HASH_BY_OID: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.4': 'md4',
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '1.3.36.3.2.1': 'rmd160',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '1.2.156.10197.1.401': 'sm3',
};
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_COMMON_NAME = '2.5.4.3';

/**
 * `kmod_module_signature_info`: the signature fields of a module file's (decompressed) bytes, or undefined
 * when it carries no trailer kmod accepts (no magic, out-of-range `algo`/`hash`/`id_type`, zero or oversized
 * `sig_len`, or a PKCS#7 blob kmod cannot decode). `fault` reads each range first, for a mapped file.
 */
export function kmodSignatureInfo(
  mem: Uint8Array,
  fault: (offset: number, length: number) => void = () => {},
): KmodSignatureInfo | undefined {
  let size = mem.length;
  if (size < SIG_MAGIC.length) return undefined;
  // The trailer: struct module_signature and the magic.
  fault(size - SIG_MAGIC.length - MODULE_SIGNATURE_SIZE, SIG_MAGIC.length + MODULE_SIGNATURE_SIZE);
  size -= SIG_MAGIC.length;
  for (let i = 0; i < SIG_MAGIC.length; i++) if (mem[size + i] !== SIG_MAGIC[i]) return undefined;
  if (size < MODULE_SIGNATURE_SIZE) return undefined;
  size -= MODULE_SIGNATURE_SIZE;
  const algo = mem[size];
  const hash = mem[size + 1];
  const idType = mem[size + 2];
  const signerLen = mem[size + 3];
  const keyIdLen = mem[size + 4];
  const sigLen =
    ((mem[size + 8] << 24) | (mem[size + 9] << 16) | (mem[size + 10] << 8) | mem[size + 11]) >>> 0;
  if (algo >= PKEY_ALGO_LAST || hash >= PKEY_HASH_ALGO.length || idType >= PKEY_ID_TYPE.length)
    return undefined;
  if (sigLen === 0 || size < signerLen + keyIdLen + sigLen) return undefined;
  fault(size - sigLen - keyIdLen - signerLen, signerLen + keyIdLen + sigLen);
  if (idType === PKEY_ID_PKCS7) return fillPkcs7(mem.subarray(size - sigLen, size));
  const sigStart = size - sigLen;
  const keyStart = sigStart - keyIdLen;
  const signerStart = keyStart - signerLen;
  return {
    idType: PKEY_ID_TYPE[idType],
    signer: mem.subarray(signerStart, keyStart),
    keyId: mem.subarray(keyStart, sigStart),
    hashAlgo: PKEY_HASH_ALGO[hash],
    sig: mem.subarray(sigStart, size),
  };
}

/**
 * kmod's `kmod_module_hex_to_str`: `XX:XX:...`, upper case, with `\n\t\t` after every 20 bytes (modinfo's
 * continuation lines).
 */
export function kmodHexToStr(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n === 0) return '';
  // Written as ASCII bytes, decoded once: 2 digits per byte, ':' between, "\n\t\t" after every 20th.
  const out = Buffer.allocUnsafe(3 * n + 3 * Math.floor((n - 1) / 20));
  let o = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    out[o++] = HEX_DIGITS[b >> 4];
    out[o++] = HEX_DIGITS[b & 15];
    if (i === n - 1) break;
    out[o++] = 0x3a;
    if ((i + 1) % 20 === 0) {
      out[o++] = 0x0a;
      out[o++] = 0x09;
      out[o++] = 0x09;
    }
  }
  return out.toString('latin1', 0, o);
}

/** `0-9A-F` as bytes. */
const HEX_DIGITS = Uint8Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0));

interface Der {
  readonly tag: number;
  readonly constructed: boolean;
  readonly start: number;
  readonly end: number;
}

/** Reads one definite-length DER element at `at` within `[at, limit)`; undefined when malformed. */
function der(b: Uint8Array, at: number, limit: number): Der | undefined {
  if (at + 2 > limit) return undefined;
  const first = b[at];
  if ((first & 0x1f) === 0x1f) return undefined; // high tag numbers do not occur in PKCS#7
  let len = b[at + 1];
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i];
    p += n;
  }
  if (p + len > limit) return undefined;
  return { tag: first & 0xdf, constructed: (first & 0x20) !== 0, start: p, end: p + len };
}

function children(b: Uint8Array, e: Der): Der[] | undefined {
  const out: Der[] = [];
  let p = e.start;
  while (p < e.end) {
    const c = der(b, p, e.end);
    if (c === undefined) return undefined;
    out.push(c);
    p = c.end;
  }
  return out;
}

function oid(b: Uint8Array, e: Der): string | undefined {
  if (e.tag !== 0x06 || e.end === e.start) return undefined;
  const parts: number[] = [];
  let v = 0;
  for (let i = e.start; i < e.end; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if ((b[i] & 0x80) === 0) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const SEQUENCE = 0x10;
const SET = 0x11;

/** `fill_pkcs7` over the PKCS#7 blob. */
function fillPkcs7(p7: Uint8Array): KmodSignatureInfo | undefined {
  const top = der(p7, 0, p7.length);
  if (top === undefined || top.tag !== SEQUENCE || !top.constructed) return undefined;
  const ci = children(p7, top);
  if (ci === undefined || ci.length < 1 || oid(p7, ci[0]) !== OID_SIGNED_DATA) return undefined;
  // PKCS7_get_signer_info: only SignedData has signer infos here.
  if (ci.length < 2 || ci[1].tag !== 0x80 || !ci[1].constructed) return undefined;
  const sdWrap = children(p7, ci[1]);
  if (sdWrap === undefined || sdWrap.length !== 1 || sdWrap[0].tag !== SEQUENCE) return undefined;
  const sd = children(p7, sdWrap[0]);
  if (sd === undefined || sd.length < 4) return undefined;
  const signerInfos = sd[sd.length - 1];
  if (signerInfos.tag !== SET) return undefined;
  const infos = children(p7, signerInfos);
  if (infos === undefined || infos.length === 0 || infos[0].tag !== SEQUENCE) return undefined;
  const si = children(p7, infos[0]);
  if (si === undefined || si.length < 5) return undefined;
  const ias = si[1];
  if (ias.tag !== SEQUENCE) return undefined;
  const iasParts = children(p7, ias);
  if (iasParts === undefined || iasParts.length !== 2 || iasParts[1].tag !== 0x02) return undefined;
  const issuer = iasParts[0];
  if (issuer.tag !== SEQUENCE) return undefined;
  const digestAlg = si[2];
  let k = 3;
  if (si[k].tag === 0x80) k++; // [0] authenticatedAttributes
  const encDigest = si[k + 1];
  if (digestAlg.tag !== SEQUENCE || encDigest === undefined || encDigest.tag !== 0x04) return undefined;
  const alg = children(p7, digestAlg);
  const algOid = alg === undefined || alg.length === 0 ? undefined : oid(p7, alg[0]);
  const hashAlgo = algOid === undefined ? undefined : HASH_BY_OID[algOid];
  if (hashAlgo === undefined) return undefined;
  const signer = issuerCommonName(p7, issuer);
  if (signer === null) return undefined;
  return {
    idType: PKEY_ID_TYPE[PKEY_ID_PKCS7],
    signer: signer ?? new Uint8Array(0),
    keyId: serialMagnitude(p7.subarray(iasParts[1].start, iasParts[1].end)),
    hashAlgo,
    sig: p7.subarray(encDigest.start, encDigest.end),
  };
}

/**
 * `x509_name_to_str`: the value of the first commonName entry; without one, the value of the last entry (kmod's
 * loop leaves it there); undefined for an empty name; null when the name does not decode.
 */
function issuerCommonName(b: Uint8Array, name: Der): Uint8Array | undefined | null {
  const rdns = children(b, name);
  if (rdns === undefined) return null;
  let last: Uint8Array | undefined;
  for (const rdn of rdns) {
    if (rdn.tag !== SET) return null;
    const avas = children(b, rdn);
    if (avas === undefined) return null;
    for (const ava of avas) {
      const parts = ava.tag === SEQUENCE ? children(b, ava) : undefined;
      if (parts === undefined || parts.length !== 2) return null;
      const value = b.subarray(parts[1].start, parts[1].end);
      const nul = value.indexOf(0);
      last = nul >= 0 ? value.subarray(0, nul) : value;
      if (oid(b, parts[0]) === OID_COMMON_NAME) return last;
    }
  }
  return last;
}

/** `ASN1_INTEGER_to_BN` + `BN_bn2bin`: the magnitude of a two's-complement INTEGER, without leading zeros. */
function serialMagnitude(content: Uint8Array): Uint8Array {
  let bytes = Uint8Array.from(content);
  if (bytes.length > 0 && bytes[0] & 0x80) {
    // Negative: magnitude = two's complement.
    for (let i = 0; i < bytes.length; i++) bytes[i] = ~bytes[i] & 0xff;
    for (let i = bytes.length - 1; i >= 0; i--) {
      bytes[i] = (bytes[i] + 1) & 0xff;
      if (bytes[i] !== 0) break;
    }
  }
  let s = 0;
  while (s < bytes.length && bytes[s] === 0) s++;
  bytes = bytes.subarray(s);
  return bytes;
}
