/**
 * `verify_pkcs7_signature` for a detached signature: parse, supply the data, `pkcs7_verify` (usage checks,
 * digest, embedded signer), then `pkcs7_validate_trust` against the trusted keyring. The public-key math is
 * Node's (`crypto.verify`, `X509Certificate.verify`). The revocation list (`is_key_on_revocation_list`) is
 * empty in the simulation.
 * @see certs/system_keyring.c verify_pkcs7_message_sig; crypto/asymmetric_keys/pkcs7_verify.c, pkcs7_trust.c
 * @module
 */
import { constants, createHash, getHashes, type KeyObject, publicDecrypt, verify } from 'node:crypto';
import { fail, OK_VOID, type Result } from '../../core/result.js';
import type { TrustedKeyring } from './keyring.js';
import { OID_DATA, OID_MS_INDIRECT_DATA } from './oids.js';
import {
  type Pkcs7Message,
  type Pkcs7SignedInfo,
  pkcs7ParseMessage,
  type SigFailure,
} from './pkcs7-parser.js';
import type { X509Cert } from './x509-cert.js';

/** `enum key_being_used_for`, the cases a kernel checks in `pkcs7_verify`. */
export type KeyUsage = 'module' | 'firmware' | 'kexec-pe' | 'unspecified';

const NODE_HASHES = new Set(getHashes());

/** The kernel's hash name as Node calls it, or `undefined` when Node has no such digest. */
function nodeHash(kernelName: string): string | undefined {
  const n = kernelName === 'streebog256' || kernelName === 'streebog512' ? undefined : kernelName;
  return n !== undefined && NODE_HASHES.has(n) ? n : undefined;
}

/** The crypto primitives a signature check uses. */
export interface SigCrypto {
  /** A message digest with Node's hash name (`crypto_shash_digest`). */
  digest(hash: string, data: Uint8Array): Uint8Array;
  /** RSA public operation and PKCS#1 v1.5 unpadding: the encoded DigestInfo, or `null` for bad padding. */
  rsaRecover(key: KeyObject, sig: Uint8Array): Uint8Array | null;
}

/** The primitives computed by Node, here and now. */
export const NODE_CRYPTO: SigCrypto = {
  digest: (hash, data) => createHash(hash).update(data).digest(),
  rsaRecover: (key, sig) => {
    try {
      return publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig);
    } catch {
      return null;
    }
  },
};

/**
 * EMSA-PKCS1-v1_5 DigestInfo prefixes by Node hash name.
 * @see crypto/rsa-pkcs1pad.c rsa_digest_info_* (6.1; crypto/rsassa-pkcs1.c from 6.13)
 */
const DIGEST_INFO: ReadonlyMap<string, Buffer> = new Map(
  Object.entries({
    sha1: '3021300906052b0e03021a05000414',
    sha224: '302d300d06096086480165030402040500041c',
    sha256: '3031300d060960864801650304020105000420',
    sha384: '3041300d060960864801650304020205000430',
    sha512: '3051300d060960864801650304020305000440',
    'sha3-256': '3031300d060960864801650304020805000420',
    'sha3-384': '3041300d060960864801650304020905000430',
    'sha3-512': '3051300d060960864801650304020a05000440',
  }).map(([h, hex]) => [h, Buffer.from(hex, 'hex')]),
);

/**
 * `public_key_verify_signature`: `true` when `sig` verifies over the digest with `key`. RSA works on the digest,
 * as the kernel does (the signature, exactly the modulus long, decrypted and compared with DigestInfo ‖ digest);
 * other key types go through Node's verify over the digested message.
 */
function publicKeyVerify(key: KeyObject, sinfo: Pkcs7SignedInfo, d: Digested, crypto: SigCrypto): boolean {
  const hash = sinfo.hashAlgo === undefined ? undefined : nodeHash(sinfo.hashAlgo);
  const sig = sinfo.signature;
  if (hash === undefined || sig === undefined) return false;
  const keyType = key.asymmetricKeyType;
  if (
    (sinfo.pkeyAlgo === 'rsa') !== (keyType === 'rsa') ||
    (sinfo.pkeyAlgo === 'ecdsa') !== (keyType === 'ec')
  ) {
    return false;
  }
  const prefix = keyType === 'rsa' ? DIGEST_INFO.get(hash) : undefined;
  try {
    if (prefix === undefined) return verify(hash, d.input, key, sig);
    if (sig.length !== Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 0) / 8)) return false;
    const em = crypto.rsaRecover(key, sig);
    const digest = d.digest();
    return (
      em !== null &&
      em.length === prefix.length + digest.length &&
      Buffer.from(em.buffer, em.byteOffset, prefix.length).equals(prefix) &&
      Buffer.from(digest.buffer, digest.byteOffset, digest.length).equals(
        Buffer.from(em.buffer, em.byteOffset + prefix.length, digest.length),
      )
    );
  } catch {
    return false;
  }
}

/**
 * Per signer: what the signature covers (the data, or the authenticated attributes) and its digest. The kernel
 * computes the digest at once; here it is computed when first needed (a signer without a key never needs it),
 * which no caller can tell apart.
 */
interface Digested {
  readonly sinfo: Pkcs7SignedInfo;
  readonly input: Uint8Array;
  readonly digest: () => Uint8Array;
}

/** `fn` computed once, on the first call. */
function once(fn: () => Uint8Array): () => Uint8Array {
  let v: Uint8Array | undefined;
  return () => {
    v ??= fn();
    return v;
  };
}

type Step = Result<void, SigFailure>;
const warn = (errno: SigFailure['errno'], ...lines: string[]): Step => fail({ errno, lines });

/** `pkcs7_digest`: ENOPKG without the hash; the authenticated attributes' digest checks. */
function pkcs7Digest(
  data: Uint8Array,
  sinfo: Pkcs7SignedInfo,
  crypto: SigCrypto,
): Result<Digested, SigFailure> {
  const hash = sinfo.hashAlgo === undefined ? undefined : nodeHash(sinfo.hashAlgo);
  if (hash === undefined) return fail({ errno: 'ENOPKG', lines: [] });
  if (sinfo.authattrs === undefined)
    return { ok: true, value: { sinfo, input: data, digest: once(() => crypto.digest(hash, data)) } };
  if (sinfo.msgDigest === undefined) {
    return fail({ errno: 'EKEYREJECTED', lines: [`PKCS7: Sig ${sinfo.index}: No messageDigest`] });
  }
  const d = crypto.digest(hash, data);
  if (sinfo.msgDigest.length !== d.length) return fail({ errno: 'EBADMSG', lines: [] });
  if (!Buffer.from(d.buffer, d.byteOffset, d.length).equals(sinfo.msgDigest))
    return fail({ errno: 'EKEYREJECTED', lines: [] });
  const input = sinfo.authattrs;
  return { ok: true, value: { sinfo, input, digest: once(() => crypto.digest(hash, input)) } };
}

/** `pkcs7_find_key`: the embedded certificate whose id is the signer's. */
function findKey(msg: Pkcs7Message, sinfo: Pkcs7SignedInfo, lines: string[]): void {
  for (const x of msg.certs) {
    if (x.id !== sinfo.authId) continue;
    const algo = x.publicKey.asymmetricKeyType === 'ec' ? 'ecdsa' : x.publicKey.asymmetricKeyType;
    if (algo !== sinfo.pkeyAlgo) {
      lines.push(`PKCS7: Sig ${sinfo.index}: X.509 algo and PKCS#7 sig algo don't match`);
      continue;
    }
    sinfo.signer = x;
    return;
  }
}

/** `pkcs7_verify` with its usage checks; returns the signers' digest inputs. */
function pkcs7Verify(
  msg: Pkcs7Message,
  data: Uint8Array,
  usage: KeyUsage,
  lines: string[],
  crypto: SigCrypto,
): Result<Digested[], SigFailure> {
  const reject = (l: string) => fail({ errno: 'EKEYREJECTED' as const, lines: [...lines, l] });
  switch (usage) {
    case 'module':
      if (msg.dataType !== OID_DATA) return reject('PKCS7: Invalid module sig (not pkcs7-data)');
      if (msg.haveAuthattrs) return reject('PKCS7: Invalid module sig (has authattrs)');
      break;
    case 'firmware':
      if (msg.dataType !== OID_DATA) return reject('PKCS7: Invalid firmware sig (not pkcs7-data)');
      if (!msg.haveAuthattrs) return reject('PKCS7: Invalid firmware sig (missing authattrs)');
      break;
    case 'kexec-pe':
      if (msg.dataType !== OID_MS_INDIRECT_DATA) return reject('PKCS7: Invalid kexec sig (not Authenticode)');
      break;
    default:
      if (msg.dataType !== OID_DATA) return reject('PKCS7: Invalid unspecified sig (not pkcs7-data)');
  }
  const out: Digested[] = [];
  for (const sinfo of msg.signedInfos) {
    const d = pkcs7Digest(data, sinfo, crypto);
    if (!d.ok) {
      if (d.error.errno === 'ENOPKG') {
        sinfo.unsupportedCrypto = true;
        continue;
      }
      return fail({ errno: d.error.errno, lines: [...lines, ...d.error.lines] });
    }
    findKey(msg, sinfo, lines);
    const signer = sinfo.signer;
    if (signer !== undefined && !publicKeyVerify(signer.publicKey, sinfo, d.value, crypto)) {
      return fail({ errno: 'EKEYREJECTED', lines });
    }
    out.push(d.value);
  }
  if (out.length === 0) return fail({ errno: 'ENOPKG', lines });
  return { ok: true, value: out };
}

/** `verify_signature` of a certificate by a trusted key. */
function certSignedBy(cert: X509Cert, key: X509Cert): boolean {
  try {
    return cert.x509.verify(key.publicKey);
  } catch {
    return false;
  }
}

/** `pkcs7_validate_trust_one`. */
function validateTrustOne(d: Digested, keyring: TrustedKeyring, crypto: SigCrypto): Step {
  const sinfo = d.sinfo;
  const x = sinfo.signer;
  if (x !== undefined) {
    const key = keyring.find(x.id, x.skid);
    if (key !== undefined) return certSignedBy(x, key) ? OK_VOID : warn('EKEYREJECTED');
    if (x.selfSigned) return warn('ENOKEY');
    if (x.authId !== undefined || x.authSkid !== undefined) {
      const auth = keyring.find(x.authId, x.authSkid);
      if (auth !== undefined) return certSignedBy(x, auth) ? OK_VOID : warn('EKEYREJECTED');
    }
  }
  const direct = keyring.find(sinfo.authId);
  if (direct === undefined) return warn('ENOKEY');
  return publicKeyVerify(direct.publicKey, sinfo, d, crypto) ? OK_VOID : warn('EKEYREJECTED');
}

/**
 * `verify_pkcs7_signature(data, len, raw_pkcs7, pkcs7_len, keyring, usage, NULL, NULL)`: OK, or the errno
 * and lines of the first failure, in the kernel's order.
 */
export function verifyPkcs7Signature(
  data: Uint8Array,
  rawPkcs7: Uint8Array,
  keyring: TrustedKeyring,
  usage: KeyUsage = 'module',
  crypto: SigCrypto = NODE_CRYPTO,
): Result<void, SigFailure> {
  const parsed = pkcs7ParseMessage(rawPkcs7);
  if (!parsed.ok) return parsed;
  const msg = parsed.value;
  // pkcs7_supply_detached_data
  if (msg.data !== undefined) return warn('EBADMSG', 'PKCS#7 signature with non-detached data');
  const lines: string[] = [];
  const verified = pkcs7Verify(msg, data, usage, lines, crypto);
  if (!verified.ok) return verified;
  // pkcs7_validate_trust: unsupported signers count as ENOPKG, the first hard error wins.
  let cached: SigFailure['errno'] | undefined = 'ENOKEY';
  for (const sinfo of msg.signedInfos) {
    const d = verified.value.find((v) => v.sinfo === sinfo);
    const r = d === undefined ? warn('ENOPKG') : validateTrustOne(d, keyring, crypto);
    if (r.ok) {
      cached = undefined;
      continue;
    }
    if (r.error.errno === 'ENOKEY') continue;
    if (r.error.errno === 'ENOPKG') {
      if (cached === 'ENOKEY') cached = 'ENOPKG';
      continue;
    }
    return fail({ errno: r.error.errno, lines: [...lines, ...r.error.lines] });
  }
  if (cached !== undefined) return fail({ errno: cached, lines });
  return OK_VOID;
}
