/**
 * `module_sig_check`: the first step of `load_module`, on the raw image before any ELF parsing.
 * @see kernel/module/signing.c module_sig_check, mod_verify_sig; kernel/module_signature.c mod_check_sig
 * @module
 */
import type { ErrnoName } from '../../../abi/errno.js';
import { MODULE_SIG_STRING, MODULE_SIGNATURE_SIZE, PKEY_ID_PKCS7 } from '../../../abi/linux/v26.js';
import { step } from '../../../core/pipeline.js';
import { OK_VOID, type Result } from '../../../core/result.js';
import type { LoadInfo } from '../load-info.js';

const MARKER = new TextEncoder().encode(MODULE_SIG_STRING);

function hasMarker(b: Uint8Array, len: number): boolean {
  if (len <= MARKER.length) return false;
  const base = len - MARKER.length;
  for (let i = 0; i < MARKER.length; i++) if (b[base + i] !== MARKER[i]) return false;
  return true;
}

/** `mod_verify_sig`: trailer checks, then PKCS#7; shortens `info.len` to the signed bytes. */
function modVerifySig(info: LoadInfo): ErrnoName | undefined {
  const b = info.hdr;
  const modlen = info.len;
  if (modlen <= MODULE_SIGNATURE_SIZE) return 'EBADMSG';
  const o = modlen - MODULE_SIGNATURE_SIZE;
  const sigLen = ((b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11]) >>> 0;
  if (sigLen >= modlen - MODULE_SIGNATURE_SIZE) return 'EBADMSG';
  const log = info.k.core.log;
  if (b[o + 2] !== PKEY_ID_PKCS7) {
    log.err('module: not signed with expected PKCS#7 message');
    return 'ENOPKG';
  }
  if (b[o] !== 0 || b[o + 1] !== 0 || b[o + 3] !== 0 || b[o + 4] !== 0 || b[o + 5] || b[o + 6] || b[o + 7]) {
    log.err('module: PKCS#7 signature info has unexpected non-zero params');
    return 'EBADMSG';
  }
  const payload = modlen - MODULE_SIGNATURE_SIZE - sigLen;
  info.len = payload;
  const r = info.k.signatures.verify(b.subarray(0, payload), b.subarray(payload, payload + sigLen));
  if (r.ok) return undefined;
  if (r.error.message !== undefined) log.warn(r.error.message);
  return r.error.errno;
}

/** Runs the check; sets `info.sigOk`. */
export function runModuleSigCheck(info: LoadInfo): Result<void> {
  const k = info.k;
  if (!k.signatures.enabled) return OK_VOID;
  const policy = k.era.sig;
  let e: ErrnoName = policy.unsigned;
  if (policy.look(info.flags) && hasMarker(info.hdr, info.len)) {
    info.len -= MARKER.length;
    const v = modVerifySig(info);
    if (v === undefined) {
      info.sigOk = true;
      return OK_VOID;
    }
    e = v;
  }
  return policy.outcome(k, e);
}

/** The pipeline step. */
export const moduleSigCheck = step<LoadInfo>('moduleSigCheck', (info) => runModuleSigCheck(info));
