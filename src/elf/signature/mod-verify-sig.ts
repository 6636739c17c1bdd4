/**
 * The module signature trailer checks and verification: `mod_check_sig` on `struct module_signature`, then
 * `verify_pkcs7_signature` over the module bytes with the module usage.
 * @see kernel/module/signing.c module_sig_check, mod_verify_sig; kernel/module_signature.c mod_check_sig
 * @module
 */
import { MODULE_SIG_STRING, MODULE_SIGNATURE_SIZE, PKEY_ID_PKCS7 } from '../../abi/linux/v26.js';
import { fail, ok, type Result } from '../../core/result.js';
import type { TrustedKeyring } from './keyring.js';
import type { SigFailure } from './pkcs7-parser.js';
import { verifyPkcs7Signature } from './pkcs7-verify.js';

export { MODULE_SIG_STRING, MODULE_SIGNATURE_SIZE, PKEY_ID_PKCS7 };

const MARKER = new TextEncoder().encode(MODULE_SIG_STRING);

/** Equivalent to `struct module_signature`. */
export interface ModuleSignatureInfo {
  /** `algo`. */
  readonly algo: number;
  /** `hash`. */
  readonly hash: number;
  /** `id_type`. */
  readonly idType: number;
  /** `signer_len`. */
  readonly signerLen: number;
  /** `key_id_len`. */
  readonly keyIdLen: number;
  /** `__pad[3]`. */
  readonly pad: readonly [number, number, number];
  /** `be32_to_cpu(sig_len)`. */
  readonly sigLen: number;
}

/** Reads the 12-byte structure at `at`. */
export function readModuleSignatureInfo(b: Uint8Array, at: number): ModuleSignatureInfo {
  return {
    algo: b[at],
    hash: b[at + 1],
    idType: b[at + 2],
    signerLen: b[at + 3],
    keyIdLen: b[at + 4],
    pad: [b[at + 5], b[at + 6], b[at + 7]],
    sigLen: ((b[at + 8] << 24) | (b[at + 9] << 16) | (b[at + 10] << 8) | b[at + 11]) >>> 0,
  };
}

/** `mod_check_sig(ms, file_len, name)`. */
export function modCheckSig(
  ms: ModuleSignatureInfo,
  fileLen: number,
  name: string,
): Result<void, SigFailure> {
  if (ms.sigLen >= fileLen - MODULE_SIGNATURE_SIZE) return fail({ errno: 'EBADMSG', lines: [] });
  if (ms.idType !== PKEY_ID_PKCS7) {
    return fail({ errno: 'ENOPKG', lines: [`${name}: not signed with expected PKCS#7 message`] });
  }
  if (ms.algo || ms.hash || ms.signerLen || ms.keyIdLen || ms.pad[0] || ms.pad[1] || ms.pad[2]) {
    return fail({
      errno: 'EBADMSG',
      lines: [`${name}: PKCS#7 signature info has unexpected non-zero params`],
    });
  }
  return ok(undefined);
}

/**
 * `mod_verify_sig(mod, info)` with `info->len === len`: the marker already removed. Success gives the length
 * of the signed module bytes (the new `info->len`).
 */
export function modVerifySig(
  mod: Uint8Array,
  len: number,
  keyring: TrustedKeyring,
): Result<number, SigFailure> {
  if (len <= MODULE_SIGNATURE_SIZE) return fail({ errno: 'EBADMSG', lines: [] });
  const ms = readModuleSignatureInfo(mod, len - MODULE_SIGNATURE_SIZE);
  const c = modCheckSig(ms, len, 'module');
  if (!c.ok) return c;
  const modlen = len - ms.sigLen - MODULE_SIGNATURE_SIZE;
  const v = verifyPkcs7Signature(mod.subarray(0, modlen), mod.subarray(modlen, modlen + ms.sigLen), keyring);
  return v.ok ? ok(modlen) : v;
}

/** Whether the first `len` bytes end with the marker, with more before it (`info->len > markerlen`). */
export function hasSignatureMarker(b: Uint8Array, len = b.length): boolean {
  if (len <= MARKER.length) return false;
  for (let i = 0; i < MARKER.length; i++) if (b[len - MARKER.length + i] !== MARKER[i]) return false;
  return true;
}

/**
 * `module_sig_check`'s verification part: ENODATA without the marker, otherwise `mod_verify_sig` on the bytes
 * before it. Success gives the signed length. The enforcement policy (which errors are soft) is the caller's.
 */
export function verifyModuleSignature(
  image: Uint8Array,
  keyring: TrustedKeyring,
): Result<number, SigFailure> {
  if (!hasSignatureMarker(image)) return fail({ errno: 'ENODATA', lines: [] });
  return modVerifySig(image, image.length - MARKER.length, keyring);
}
