/**
 * The appended module signature trailer written by scripts/sign-file.c:
 * `[module][PKCS#7 (sig_len)][struct module_signature (12)]["~Module signature appended~\n" (28)]`.
 * This file only parses the layout; checking and verifying it is the signature verifier's job.
 * @see kernel/module/signing.c module_sig_check, kernel/module_signature.c mod_check_sig
 * @module
 */
import { ok } from '../core/result.js';
import { type ElfResult, elfFail } from './elf-error.js';

/** `MODULE_SIG_STRING`. */
export const MODULE_SIG_STRING = '~Module signature appended~\n';
/** `sizeof(struct module_signature)`. */
export const MODULE_SIGNATURE_SIZE = 12;
/** `PKEY_ID_PKCS7`. */
export const PKEY_ID_PKCS7 = 2;

const MARKER = new TextEncoder().encode(MODULE_SIG_STRING);

/** The parsed trailer. Equivalent to `struct module_signature` plus where things are. */
export interface ModuleSignature {
  /** Length of the signed module bytes (`modlen` after removing marker, struct and signature). */
  readonly payloadLength: number;
  /** `sig_len` (big-endian in the file). */
  readonly sigLen: number;
  /** Offset of the PKCS#7 blob. */
  readonly signatureOffset: number;
  /** `algo` (0 for PKCS#7). */
  readonly algo: number;
  /** `hash` (0 for PKCS#7). */
  readonly hash: number;
  /** `id_type` (`PKEY_ID_PKCS7` = 2). */
  readonly idType: number;
  /** `signer_len` (0 for PKCS#7). */
  readonly signerLen: number;
  /** `key_id_len` (0 for PKCS#7). */
  readonly keyIdLen: number;
  /** `__pad[3]`. */
  readonly pad: readonly [number, number, number];
}

/**
 * Whether `bytes` ends with `MODULE_SIG_STRING` preceded by at least one byte (`module_sig_check` requires
 * `info->len > markerlen`; an input that is only the marker counts as unsigned).
 */
export function hasModuleSignature(bytes: Uint8Array): boolean {
  if (bytes.length <= MARKER.length) return false;
  const base = bytes.length - MARKER.length;
  for (let i = 0; i < MARKER.length; i++) if (bytes[base + i] !== MARKER[i]) return false;
  return true;
}

/**
 * Parses the trailer: `undefined` when the marker is absent (unsigned module). Fails with `bad-signature`
 * when the marker is there but the rest does not fit — the cases `mod_check_sig` answers with `EBADMSG`
 * (`modlen <= sizeof(struct module_signature)`, `sig_len >= modlen - sizeof(struct module_signature)`).
 */
export function readModuleSignature(bytes: Uint8Array): ElfResult<ModuleSignature | undefined> {
  if (!hasModuleSignature(bytes)) return ok(undefined);
  const modlen = bytes.length - MARKER.length;
  if (modlen <= MODULE_SIGNATURE_SIZE) {
    return elfFail('bad-signature', `signed module too short: ${modlen} bytes before the marker`, 0);
  }
  const o = modlen - MODULE_SIGNATURE_SIZE;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sigLen = v.getUint32(o + 8, false);
  if (sigLen >= modlen - MODULE_SIGNATURE_SIZE) {
    return elfFail(
      'bad-signature',
      `signature length ${sigLen} exceeds the module (${modlen - MODULE_SIGNATURE_SIZE} bytes)`,
      o,
    );
  }
  const payloadLength = modlen - MODULE_SIGNATURE_SIZE - sigLen;
  return ok({
    payloadLength,
    sigLen,
    signatureOffset: payloadLength,
    algo: bytes[o],
    hash: bytes[o + 1],
    idType: bytes[o + 2],
    signerLen: bytes[o + 3],
    keyIdLen: bytes[o + 4],
    pad: [bytes[o + 5], bytes[o + 6], bytes[o + 7]],
  });
}
