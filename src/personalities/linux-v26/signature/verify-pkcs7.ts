/**
 * `verify_pkcs7_signature` for module signatures: a detached PKCS#7 SignedData (no content, no authenticated
 * attributes) whose signer is found on the trusted keyring, digest and public-key check by Node's crypto.
 * @see crypto/asymmetric_keys/pkcs7_parser.c, pkcs7_verify.c, certs/system_keyring.c verify_pkcs7_signature
 * @module
 */
import { verify } from 'node:crypto';
import type { ErrnoName } from '../../../abi/errno.js';
import { fail, OK_VOID, type Result } from '../../../core/result.js';
import { derChildren, derOid, derRead } from './der.js';
import type { Keyring } from './keyring.js';

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_DATA = '1.2.840.113549.1.7.1';

/** Digest OIDs the kernel's crypto API knows, by Node hash name. */
const DIGESTS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
};

/** A verification failure: the errno and the kernel's message, if it prints one. */
export interface SigFailure {
  /** EBADMSG, ENOKEY, ENOPKG, EKEYREJECTED. */
  readonly errno: ErrnoName;
  /** pr_warn/pr_err text, if any. */
  readonly message?: string;
}

function bad(message?: string): Result<void, SigFailure> {
  return fail(message === undefined ? { errno: 'EBADMSG' } : { errno: 'EBADMSG', message });
}

/** Verifies `sig` (PKCS#7 DER) over `data` against `keyring`. */
export function verifyPkcs7(data: Uint8Array, sig: Uint8Array, keyring: Keyring): Result<void, SigFailure> {
  const ci = derRead(sig, 0, sig.length);
  const cic = ci && ci.tag === 0x30 ? derChildren(sig, ci) : undefined;
  if (cic === undefined || cic.length < 2 || derOid(sig, cic[0]) !== OID_SIGNED_DATA || cic[1].tag !== 0xa0)
    return bad();
  const sd = derRead(sig, cic[1].body, cic[1].end);
  const sdc = sd && sd.tag === 0x30 ? derChildren(sig, sd) : undefined;
  if (sdc === undefined || sdc.length < 4) return bad();
  const content = derChildren(sig, sdc[2]);
  if (content === undefined || content.length === 0) return bad();
  if (derOid(sig, content[0]) !== OID_DATA) {
    return fail({ errno: 'EKEYREJECTED', message: 'Invalid module sig (not pkcs7-data)' });
  }
  if (content.length > 1) return bad('PKCS7: Unexpected content in detached signature');
  const infos = sdc[sdc.length - 1];
  if (infos.tag !== 0x31) return bad();
  const signers = derChildren(sig, infos);
  if (signers === undefined || signers.length === 0) return bad('PKCS7: No signers');
  for (const si of signers) {
    const f = derChildren(sig, si);
    if (f === undefined || f.length < 5) return bad();
    const sid = f[1];
    let key: ReturnType<Keyring['byIssuerSerial']>;
    if (sid.tag === 0x30) {
      const parts = derChildren(sig, sid);
      if (parts === undefined || parts.length !== 2) return bad();
      const id = `${Buffer.from(sig.subarray(parts[0].start, parts[0].end)).toString('hex')}:${Buffer.from(sig.subarray(parts[1].body, parts[1].end)).toString('hex')}`;
      key = keyring.byIssuerSerial(id);
    } else if (sid.tag === 0x80) {
      key = keyring.bySubjectKeyId(Buffer.from(sig.subarray(sid.body, sid.end)).toString('hex'));
    } else return bad();
    const algs = derChildren(sig, f[2]);
    const digestOid = algs === undefined ? undefined : derOid(sig, algs[0]);
    if (digestOid === undefined) return bad();
    let k = 3;
    if (f[k].tag === 0xa0) {
      return fail({ errno: 'EKEYREJECTED', message: 'Invalid module sig (has authattrs)' });
    }
    k++; // digestEncryptionAlgorithm
    const encrypted = f[k];
    if (encrypted === undefined || encrypted.tag !== 0x04) return bad();
    const hash = DIGESTS[digestOid];
    if (hash === undefined) return fail({ errno: 'ENOPKG' });
    if (key === undefined) return fail({ errno: 'ENOKEY' });
    let good: boolean;
    try {
      good = verify(hash, data, key.key, sig.subarray(encrypted.body, encrypted.end));
    } catch {
      return fail({ errno: 'ENOPKG' });
    }
    if (!good) return fail({ errno: 'EKEYREJECTED' });
  }
  return OK_VOID;
}
