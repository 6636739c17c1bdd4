/**
 * `verify_pkcs7_signature` for a detached signature: parse, supply the data, `pkcs7_verify` (usage checks,
 * digest, embedded signer), then `pkcs7_validate_trust` against the trusted keyring. The public-key math is
 * Node's (`crypto.verify`, `X509Certificate.verify`). The revocation list (`is_key_on_revocation_list`) is
 * empty in the simulation.
 * @see certs/system_keyring.c verify_pkcs7_message_sig; crypto/asymmetric_keys/pkcs7_verify.c, pkcs7_trust.c
 * @module
 */
import { createHash, getHashes, type KeyObject, verify } from 'node:crypto';
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

/** `public_key_verify_signature`: `true` when `sig` verifies over the digested message with `key`. */
function publicKeyVerify(key: KeyObject, sinfo: Pkcs7SignedInfo, digestInput: Uint8Array): boolean {
  const hash = sinfo.hashAlgo === undefined ? undefined : nodeHash(sinfo.hashAlgo);
  if (hash === undefined || sinfo.signature === undefined) return false;
  const keyType = key.asymmetricKeyType;
  if (
    (sinfo.pkeyAlgo === 'rsa') !== (keyType === 'rsa') ||
    (sinfo.pkeyAlgo === 'ecdsa') !== (keyType === 'ec')
  ) {
    return false;
  }
  try {
    return verify(hash, digestInput, key, sinfo.signature);
  } catch {
    return false;
  }
}

/** Per signer: what the signature covers (the data, or the authenticated attributes). */
interface Digested {
  readonly sinfo: Pkcs7SignedInfo;
  readonly input: Uint8Array;
}

type Step = Result<void, SigFailure>;
const warn = (errno: SigFailure['errno'], ...lines: string[]): Step => fail({ errno, lines });

/** `pkcs7_digest`: ENOPKG without the hash; the authenticated attributes' digest checks. */
function pkcs7Digest(data: Uint8Array, sinfo: Pkcs7SignedInfo): Result<Digested, SigFailure> {
  const hash = sinfo.hashAlgo === undefined ? undefined : nodeHash(sinfo.hashAlgo);
  if (hash === undefined) return fail({ errno: 'ENOPKG', lines: [] });
  if (sinfo.authattrs === undefined) return { ok: true, value: { sinfo, input: data } };
  if (sinfo.msgDigest === undefined) {
    return fail({ errno: 'EKEYREJECTED', lines: [`PKCS7: Sig ${sinfo.index}: No messageDigest`] });
  }
  const d = createHash(hash).update(data).digest();
  if (sinfo.msgDigest.length !== d.length) return fail({ errno: 'EBADMSG', lines: [] });
  if (!d.equals(sinfo.msgDigest)) return fail({ errno: 'EKEYREJECTED', lines: [] });
  return { ok: true, value: { sinfo, input: sinfo.authattrs } };
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
    const d = pkcs7Digest(data, sinfo);
    if (!d.ok) {
      if (d.error.errno === 'ENOPKG') {
        sinfo.unsupportedCrypto = true;
        continue;
      }
      return fail({ errno: d.error.errno, lines: [...lines, ...d.error.lines] });
    }
    findKey(msg, sinfo, lines);
    const signer = sinfo.signer;
    if (signer !== undefined && !publicKeyVerify(signer.publicKey, sinfo, d.value.input)) {
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
function validateTrustOne(d: Digested, keyring: TrustedKeyring): Step {
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
  return publicKeyVerify(direct.publicKey, sinfo, d.input) ? OK_VOID : warn('EKEYREJECTED');
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
): Result<void, SigFailure> {
  const parsed = pkcs7ParseMessage(rawPkcs7);
  if (!parsed.ok) return parsed;
  const msg = parsed.value;
  // pkcs7_supply_detached_data
  if (msg.data !== undefined) return warn('EBADMSG', 'PKCS#7 signature with non-detached data');
  const lines: string[] = [];
  const verified = pkcs7Verify(msg, data, usage, lines);
  if (!verified.ok) return verified;
  // pkcs7_validate_trust: unsupported signers count as ENOPKG, the first hard error wins.
  let cached: SigFailure['errno'] | undefined = 'ENOKEY';
  for (const sinfo of msg.signedInfos) {
    const d = verified.value.find((v) => v.sinfo === sinfo);
    const r = d === undefined ? warn('ENOPKG') : validateTrustOne(d, keyring);
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
